import type { Db } from '../db/client.ts';
import type { SearchTerm } from '../../search/query-prep.ts';
import { ProductSearchEngine } from './product-search-engine.ts';
import { RELEVANCE_WINDOW, type SearchDialect, type SearchPlan } from './search-plan.ts';
import { commonFilters, join, optionFilter, orderAndLimit, PRODUCT_ROW, sql, substringRank, whereClause, type Sql } from './search-sql.ts';

/** ts_rank_cd weights {D, C, B, A}, in the proportions of the SQLite bm25 column weights (body 1, tags 4, title 10). */
const WEIGHTS = sql`'{0.1, 0.1, 0.4, 1.0}'::float4[]`;

/** "Product" is read only for substring terms (searchText, title, tags); everything else is in "ProductSearchDoc". */
const PRODUCT = sql` JOIN "Product" p ON p."id" = s."productId"`;

/**
 * PostgreSQL: full-text over a stored, weighted tsvector per product
 * ("ProductSearchDoc"."doc", GIN; 'simple' configuration: no stemming, the
 * same words as SQLite) ranked by ts_rank_cd, pg_trgm (GIN on
 * "Product"."searchText") for substrings, and "VariantOption" for option
 * filters; the side tables are kept in step by triggers
 * (prisma/postgresql/migrations/*_search_speed).
 */
export class PostgresProductSearch extends ProductSearchEngine {
  constructor(db: Db) {
    super(db, new PostgresSearchDialect(db));
  }
}

class PostgresSearchDialect implements SearchDialect {
  constructor(private readonly db: Db) {}

  async findIds(plan: SearchPlan): Promise<string[]> {
    const likes = plan.substrings.map((s) => sql`p."searchText" LIKE ${`%${escapeLike(s)}%`}`);
    // Option values as words narrow the candidates through the index; the exact check is the option filter.
    const terms = [...plan.wordTerms, ...plan.optionTerms];
    if (!terms.length && likes.length) {
      // Substrings alone (pg_trgm on "Product"): "Product" has every column the filters need.
      const where = [...commonFilters(plan, PRODUCT_ROW), ...likes];
      if (plan.options) where.push(optionFilter(plan.options, { column: 'productId', of: PRODUCT_ROW.id }));
      const order = orderAndLimit(plan, substringRank(plan, contains, PRODUCT_ROW), PRODUCT_ROW);
      return this.ids(sql`SELECT p."id" AS "id" FROM "Product" p ${whereClause(where)} ${order}`);
    }
    const where = [...commonFilters(plan), ...likes];
    if (terms.length) where.push(sql`s."doc" @@ to_tsquery('simple'::regconfig, ${tsQuery(terms)})`);
    const from = likes.length ? sql`"ProductSearchDoc" s${PRODUCT}` : sql`"ProductSearchDoc" s`;
    if (plan.options) where.push(variantHasOptions(plan.options));
    if (plan.order.by !== 'relevance' || !plan.wordTerms.length) {
      const relevance = plan.wordTerms.length ? sql`s."createdAt" DESC` : substringRank(plan, contains);
      return this.ids(sql`SELECT s."productId" AS "id" FROM ${from} ${whereClause(where)} ${orderAndLimit(plan, relevance)}`);
    }
    // Relevance: ts_rank_cd over the RELEVANCE_WINDOW most recently added matches that pass the filters,
    // ranked after the window is cut, so only those documents are read for ranking.
    const window = sql`SELECT s."productId", s."createdAt", s."doc" FROM ${from} ${whereClause(where)}
      ORDER BY s."createdAt" DESC, s."productId" DESC LIMIT ${RELEVANCE_WINDOW}`;
    const ranked = sql`to_tsquery('simple'::regconfig, ${tsQuery(plan.wordTerms)})`;
    return this.ids(sql`
      SELECT w."productId" AS "id" FROM (${window}) w
      ORDER BY ts_rank_cd(${WEIGHTS}, w."doc", ${ranked}) DESC, w."createdAt" DESC, w."productId" DESC
      LIMIT ${plan.take} OFFSET ${plan.order.offset}`);
  }

  private async ids(query: Sql): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>(query);
    return rows.map((r) => r.id);
  }

  optionValues(storeId: string): Promise<{ name: string; value: string }[]> {
    // Distinct option objects first: a catalog repeats a few dozen of them across many variants.
    return this.db.$queryRaw<{ name: string; value: string }[]>`
      WITH d AS (
        SELECT v."options" AS "options", min(v."position") AS "position"
        FROM "Variant" v JOIN "Product" p ON p."id" = v."productId"
        WHERE v."storeId" = ${storeId} AND p."status" = 'active' AND jsonb_typeof(v."options") = 'object'
        GROUP BY v."options"
      )
      SELECT lower(o."key" COLLATE "C") AS "name", min((o."value" #>> '{}') COLLATE "C") AS "value"
      FROM d, jsonb_each(d."options") o
      WHERE jsonb_typeof(o."value") = 'string'
      GROUP BY lower(o."key" COLLATE "C"), lower((o."value" #>> '{}') COLLATE "C")
      ORDER BY lower(o."key" COLLATE "C"), min(d."position"), lower((o."value" #>> '{}') COLLATE "C")`;
  }
}

/** Beyond this many combinations of accepted values, the option filter looks them up in "VariantOption" instead. */
const MAX_OPTION_COMBINATIONS = 64;

/**
 * Some variant has, for every option name, one of the accepted values:
 * containment in the row's "variantOptions" (one object per variant,
 * prisma/postgresql/migrations/*_search_variant_options), one pattern per
 * combination of accepted values.
 */
function variantHasOptions(options: Record<string, string[]>): Sql {
  let combos: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(options)) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
    if (combos.length > MAX_OPTION_COMBINATIONS) return optionFilter(options);
  }
  const patterns = combos.map((c) => sql`${JSON.stringify([c])}::jsonb`);
  return sql`s."variantOptions" @> ANY (ARRAY[${join(patterns)}])`;
}

function contains(column: 'title' | 'tags', text: string): Sql {
  return column === 'title' ? sql`strpos(p."title", ${text}) > 0` : sql`strpos(p."tags"::text, ${text}) > 0`;
}

/** tsquery text: every term, each any of its alternatives; each word quoted as a lexeme, phrases with <->. */
export function tsQuery(terms: SearchTerm[]): string {
  return terms
    .map((t) => {
      const alts = t.alternatives.flatMap((a) =>
        a.kind === 'words' ? [a.words.map((w) => `'${w.replace(/['\\]/g, '')}'`).join(' <-> ') + (a.prefix ? ':*' : '')] : [],
      );
      return `(${alts.join(' | ')})`;
    })
    .join(' & ');
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
