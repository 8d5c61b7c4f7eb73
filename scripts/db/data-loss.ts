// `diff` gives no data-loss warning, so look for it ourselves.
//
// PostgreSQL: every DROP except of an index, constraint, default or NOT NULL
// (which lose no rows) is reported.
//
// SQLite changes most columns by rebuilding the table (CREATE "new_X", copy,
// DROP "X", rename), so a DROP TABLE there is routine. Instead, the existing
// migrations and the new one are run in an in-memory database, and the tables
// and columns that exist before but not after are reported.
import Database from 'better-sqlite3';

const HARMLESS_DROP = /\bDROP\s+(INDEX|CONSTRAINT|DEFAULT|NOT\s+NULL)\b/gi;

function withoutComments(sql: string): string {
  return sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n');
}

/** Statements of `sql` that drop something holding data (whitespace collapsed). */
export function dropStatements(sql: string): string[] {
  return withoutComments(sql)
    .split(';')
    .map((statement) => statement.trim().replace(/\s+/g, ' '))
    .filter((statement) => /\bDROP\b/i.test(statement.replace(HARMLESS_DROP, '')));
}

type Columns = Map<string, Set<string>>;

function tableColumns(db: Database.Database): Columns {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
  return new Map(
    tables.map(({ name }) => [
      name,
      new Set(
        db
          .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
          .all(name)
          .map((c) => c.name),
      ),
    ]),
  );
}

/** Tables and columns that `sql` removes from the database `previous` builds. */
export function sqliteDataLoss(previous: readonly string[], sql: string): string[] {
  const db = new Database(':memory:');
  try {
    db.pragma('foreign_keys = OFF');
    for (const migration of previous) db.exec(migration);
    const before = tableColumns(db);
    db.exec(sql);
    const after = tableColumns(db);
    const lost: string[] = [];
    for (const [table, columns] of before) {
      const kept = after.get(table);
      if (kept === undefined) {
        lost.push(`table "${table}" is dropped`);
        continue;
      }
      const dropped = [...columns].filter((column) => !kept.has(column));
      if (dropped.length > 0) lost.push(`table "${table}" loses column(s) ${dropped.map((c) => `"${c}"`).join(', ')}`);
    }
    return lost;
  } finally {
    db.close();
  }
}
