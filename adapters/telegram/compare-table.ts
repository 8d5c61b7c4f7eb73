import type { Reply } from '../../src/conversation/conversation.types.ts';
import { clip, escapeHtml } from './html.ts';

type Compare = Extract<Reply, { type: 'compare' }>;

const CELL = 16;

/** East Asian wide characters take two columns in a monospace font. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

/** A side-by-side comparison as a monospace table inside <pre>. */
export function compareHtml(r: Compare): string {
  const header = ['', ...r.columns.map((c) => clip(c, CELL))];
  const body = r.rows.map((row) => [clip(row.label, CELL), ...row.values.map((v) => clip(v, CELL))]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((row) => width(row[i] ?? ''))));
  const line = (row: string[]) => row.map((cell, i) => pad(cell, widths[i] ?? 0)).join(' │ ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  const table = [line(header), rule, ...body.map(line)].join('\n');
  return `<b>${escapeHtml(r.title)}</b>\n<pre>${escapeHtml(table)}</pre>`;
}
