import type { Db } from '../db/client.ts';
import { directSql, type DirectSql } from '../db/direct-sql.ts';
import type { SearchTerm } from '../../search/query-prep.ts';
import { ProductSearchEngine } from './product-search-engine.ts';
import { RELEVANCE_WINDOW, type SearchDialect, type SearchPlan } from './search-plan.ts';
import { commonFilters, empty, optionFilter, orderAndLimit, sql, substringRank, whereClause, type Sql } from './search-sql.ts';

/** bm25 column weights of "ProductFts" (title, tags, body): a title hit outranks a tag hit, which outranks the rest. */
const BM25 = sql`bm25("ProductFts", 10.0, 4.0, 1.0)`;

/** FTS5 trigrams need three characters; shorter substrings are checked on searchText alone. */
const TRIGRAM = 3;

/** Up to this many full-text matches, a sorted page sorts the matches; beyond, it walks the sort's index. */
const FEW_MATCHES = 2000;

/** "Product" is read only for substring terms (searchText, title, tags); everything else is in "ProductSearchDoc". */
const PRODUCT = sql` CROSS JOIN "Product" p ON p."id" = s."productId"`;

/**
 * SQLite: FTS5 tables "ProductFts" (unicode61 words, bm25) and
 * "ProductFtsTrigram" (substrings), keyed by "ProductSearchDoc"."docId",
 * and "VariantOption" (by docId) for option filters, all kept in step by triggers
 * (prisma/sqlite/migrations/*_search, *_search_speed).
 */
export class SqliteProductSearch extends ProductSearchEngine {
  constructor(db: Db) {
    super(db, new SqliteSearchDialect(db));
  }
}

class SqliteSearchDialect implements SearchDialect {
  /** Each search runs one to three of these: direct SQL (direct-sql.ts). */
  private readonly direct: DirectSql;

  constructor(private readonly db: Db) {
    this.direct = directSql(db);
  }

  async findIds(plan: SearchPlan): Promise<string[]> {
    const where = commonFilters(plan);
    if (plan.options) where.push(optionFilter(plan.options, { column: 'docId', of: sql`s."docId"` }));
    for (const s of plan.substrings) where.push(sql`instr(p."searchText", ${s}) > 0`);
    const product = plan.substrings.length ? PRODUCT : empty;
    const trigrams = plan.substrings.filter((s) => [...s].length >= TRIGRAM);
    const trigramMatch = trigrams.length ? trigrams.map(quote).join(' AND ') : undefined;
    const ftsTerms = [...plan.wordTerms, ...plan.optionTerms];
    const match = ftsTerms.length ? ftsQuery(ftsTerms) : undefined;
    const relevance = plan.wordTerms.length ? BM25 : substringRank(plan, contains);

    if (!match) {
      if (!trigramMatch) return this.ids(sql`"ProductSearchDoc" s${product}`, where, plan, relevance);
      where.push(sql`"ProductFtsTrigram" MATCH ${trigramMatch}`);
      const from = sql`"ProductFtsTrigram" CROSS JOIN "ProductSearchDoc" s ON s."docId" = "ProductFtsTrigram"."rowid"${product}`;
      return this.ids(from, where, plan, relevance);
    }
    if (trigramMatch)
      where.push(sql`+s."docId" IN (SELECT "rowid" FROM "ProductFtsTrigram" WHERE "ProductFtsTrigram" MATCH ${trigramMatch})`);
    if (plan.order.by === 'relevance' && plan.wordTerms.length) return this.ranked(plan, match, where, product);
    if (await this.matchesAtMost(match, FEW_MATCHES)) {
      where.push(sql`"ProductFts" MATCH ${match}`);
      return this.ids(
        sql`"ProductFts" CROSS JOIN "ProductSearchDoc" s ON s."docId" = "ProductFts"."rowid"${product}`,
        where,
        plan,
        relevance,
      );
    }
    // Many matches, sorted by price or date: walk the sort's index and keep the matches.
    // The unary + keeps SQLite from reading the IN list as rowid lookups (one per list entry per product).
    // Option words only narrow the candidates; with many of them the exact option check alone is cheaper.
    if (plan.wordTerms.length) where.push(sql`+s."docId" IN (SELECT "rowid" FROM "ProductFts" WHERE "ProductFts" MATCH ${match})`);
    return this.ids(sql`"ProductSearchDoc" s${product}`, where, plan, relevance);
  }

  /** Relevance: bm25 over the RELEVANCE_WINDOW most recently added matches that pass the filters. */
  private async ranked(plan: SearchPlan, match: string, where: Sql[], product: Sql): Promise<string[]> {
    const offset = plan.order.by === 'relevance' ? plan.order.offset : 0;
    where.push(sql`"ProductFts" MATCH ${match}`);
    const rows = await this.direct.query<{ id: string }>(sql`
      SELECT w."id" AS "id" FROM (
        SELECT s."productId" AS "id", s."createdAt" AS "createdAt", ${BM25} AS "score"
        FROM "ProductFts" CROSS JOIN "ProductSearchDoc" s ON s."docId" = "ProductFts"."rowid"${product} ${whereClause(where)}
        ORDER BY "ProductFts"."rowid" DESC LIMIT ${RELEVANCE_WINDOW}
      ) w
      ORDER BY w."score", w."createdAt" DESC, w."id" DESC LIMIT ${plan.take} OFFSET ${offset}`);
    return rows.map((r) => r.id);
  }

  private async ids(from: Sql, where: Sql[], plan: SearchPlan, relevance: Sql): Promise<string[]> {
    const rows = await this.direct.query<{ id: string }>(sql`SELECT s."productId" AS "id" FROM ${from} ${whereClause(where)} ${orderAndLimit(plan, relevance)}`);
    return rows.map((r) => r.id);
  }

  private async matchesAtMost(match: string, n: number): Promise<boolean> {
    const [row] = await this.direct.query<{ n: number | bigint }>(sql`
      SELECT count(*) AS "n" FROM (SELECT 1 FROM "ProductFts" WHERE "ProductFts" MATCH ${match} LIMIT ${n + 1})`);
    return Number(row?.n ?? 0) <= n;
  }

  optionValues(storeId: string): Promise<{ name: string; value: string }[]> {
    // Distinct option objects first: a catalog repeats a few dozen of them across many variants.
    return this.db.$queryRaw<{ name: string; value: string }[]>`
      WITH d AS (
        SELECT v."options" AS "options", min(v."position") AS "position"
        FROM "Variant" v JOIN "Product" p ON p."id" = v."productId"
        WHERE v."storeId" = ${storeId} AND p."status" = 'active'
        GROUP BY v."options"
      )
      SELECT lower(o."key") AS "name", min(o."value") AS "value"
      FROM d, json_each(d."options") o
      WHERE o."type" = 'text'
      GROUP BY lower(o."key"), lower(o."value")
      ORDER BY lower(o."key"), min(d."position"), lower(o."value")`;
  }
}

function contains(column: 'title' | 'tags', text: string): Sql {
  return column === 'title' ? sql`instr(p."title", ${text}) > 0` : sql`instr(p."tags", ${text}) > 0`;
}

/** FTS5 query: every term, each any of its alternatives; words quoted, so no input is read as syntax. */
export function ftsQuery(terms: SearchTerm[]): string {
  return terms
    .map((t) => {
      const alts = t.alternatives.flatMap((a) => (a.kind === 'words' ? [quote(a.words.join(' ')) + (a.prefix ? '*' : '')] : []));
      return `(${alts.join(' OR ')})`;
    })
    .join(' AND ');
}

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
