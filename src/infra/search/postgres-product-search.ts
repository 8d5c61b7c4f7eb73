import type { Db } from '../db/client.ts';
import type { SearchTerm } from '../../search/query-prep.ts';
import { ProductSearchEngine } from './product-search-engine.ts';
import type { SearchDialect, SearchPlan } from './search-plan.ts';
import { commonFilters, orderAndLimit, sql, substringRank, whereClause, type Sql } from './search-sql.ts';

/**
 * The weighted document of a product (title A, tags B, searchText D). It must
 * stay character for character the expression of the GIN index
 * "Product_search_document_idx" (prisma/postgresql/migrations/*_search), or
 * the planner cannot use the index; it is therefore written out, not built.
 */
const DOCUMENT = sql`(setweight(to_tsvector('simple'::regconfig, regexp_replace(lower(p."title"), '[[:punct:]]+', ' ', 'g')), 'A')
    || setweight(to_tsvector('simple'::regconfig, regexp_replace(lower(p."tags"::text), '[[:punct:]]+', ' ', 'g')), 'B')
    || setweight(to_tsvector('simple'::regconfig, regexp_replace(p."searchText", '[[:punct:]]+', ' ', 'g')), 'D'))`;

/** ts_rank_cd weights {D, C, B, A}, in the proportions of the SQLite bm25 column weights (body 1, tags 4, title 10). */
const WEIGHTS = sql`'{0.1, 0.1, 0.4, 1.0}'::float4[]`;

/**
 * PostgreSQL: full-text over an expression GIN index (tsvector, 'simple'
 * configuration: no stemming, the same words as SQLite) ranked by
 * ts_rank_cd, and pg_trgm (GIN on "searchText") for substrings.
 */
export class PostgresProductSearch extends ProductSearchEngine {
  constructor(db: Db) {
    super(db, new PostgresSearchDialect(db));
  }
}

class PostgresSearchDialect implements SearchDialect {
  constructor(private readonly db: Db) {}

  async findIds(plan: SearchPlan): Promise<string[]> {
    const where = commonFilters(plan);
    if (plan.options) where.push(optionFilter(plan.options));
    for (const s of plan.substrings) where.push(sql`p."searchText" LIKE ${`%${escapeLike(s)}%`}`);
    let relevance: Sql;
    if (plan.wordTerms.length > 0) {
      const query = sql`to_tsquery('simple'::regconfig, ${tsQuery(plan.wordTerms)})`;
      where.push(sql`${DOCUMENT} @@ ${query}`);
      relevance = sql`ts_rank_cd(${WEIGHTS}, ${DOCUMENT}, ${query}) DESC`;
    } else {
      relevance = substringRank(plan, contains);
    }
    const rows = await this.db.$queryRaw<{ id: string }[]>`SELECT p."id" AS "id" FROM "Product" p ${whereClause(where)} ${orderAndLimit(plan, relevance)}`;
    return rows.map((r) => r.id);
  }

  optionValues(storeId: string): Promise<{ name: string; value: string }[]> {
    return this.db.$queryRaw<{ name: string; value: string }[]>`
      SELECT lower(o."key" COLLATE "C") AS "name", min((o."value" #>> '{}') COLLATE "C") AS "value"
      FROM "Variant" v JOIN "Product" p ON p."id" = v."productId",
        jsonb_each(CASE WHEN jsonb_typeof(v."options") = 'object' THEN v."options" ELSE '{}'::jsonb END) o
      WHERE v."storeId" = ${storeId} AND p."status" = 'active' AND jsonb_typeof(o."value") = 'string'
      GROUP BY lower(o."key" COLLATE "C"), lower((o."value" #>> '{}') COLLATE "C")
      ORDER BY lower(o."key" COLLATE "C"), min(v."position"), lower((o."value" #>> '{}') COLLATE "C")`;
  }
}

/** A variant of the product has, for every option name, one of the accepted values (ASCII case folded, as on SQLite). */
function optionFilter(options: Record<string, string[]>): Sql {
  return sql`EXISTS (SELECT 1 FROM "Variant" v WHERE v."productId" = p."id" AND NOT EXISTS (
    SELECT 1 FROM jsonb_each(${JSON.stringify(options)}::jsonb) f WHERE NOT EXISTS (
      SELECT 1 FROM jsonb_each_text(CASE WHEN jsonb_typeof(v."options") = 'object' THEN v."options" ELSE '{}'::jsonb END) o
      WHERE lower(o."key" COLLATE "C") = f."key"
        AND lower(o."value" COLLATE "C") IN (SELECT jsonb_array_elements_text(f."value")))))`;
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
