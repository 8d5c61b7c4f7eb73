// npm run chat — talk to a running chatshop from the terminal, through the
// same chat API as the web page. Type words; type a button's number to tap it.
//   npm run chat -- [--url http://localhost:3000] [--store demo] [--lang zh-CN]
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';

interface Button { label: string; action?: string; url?: string }
interface Reply {
  type: string;
  text?: string;
  title?: string;
  buttons?: Button[];
  items?: { title: string; priceText: string; stockHint: string; buttons: Button[] }[];
  lines?: { quantity: number; title: string; lineTotalText: string }[];
  totalText?: string;
  columns?: string[];
  rows?: { label: string; values: string[] }[];
  url?: string;
}

const { values } = parseArgs({
  options: { url: { type: 'string', default: 'http://localhost:3000' }, store: { type: 'string', default: 'demo' }, lang: { type: 'string' } },
});
const base = (values.url ?? 'http://localhost:3000').replace(/\/+$/, '');
const session = randomUUID().replace(/-/g, '');
let buttons: Button[] = [];

function render(r: Reply): string[] {
  const out: string[] = [];
  const push = (b: Button[] | undefined) => {
    for (const x of b ?? []) {
      buttons.push(x);
      out.push(`   [${buttons.length}] ${x.label}${x.url ? ` → ${x.url}` : ''}`);
    }
  };
  if (r.type === 'image') return out;
  if (r.title) out.push(`🛍  ${r.title}`);
  if (r.text) out.push(`🛍  ${r.text}`);
  for (const item of r.items ?? []) {
    out.push(`  • ${item.title} — ${item.priceText} (${item.stockHint})`);
    push(item.buttons);
  }
  for (const l of r.lines ?? []) out.push(`  • ${l.quantity} × ${l.title}  ${l.lineTotalText}`);
  if (r.totalText) out.push(`  ${r.totalText}`);
  if (r.columns && r.rows) {
    out.push(`  ${['', ...r.columns].join(' | ')}`);
    for (const row of r.rows) out.push(`  ${[row.label, ...row.values].join(' | ')}`);
  }
  push(r.buttons);
  return out;
}

async function turn(body: { text?: string; action?: string }) {
  const res = await fetch(`${base}/api/v1/stores/${encodeURIComponent(values.store ?? 'demo')}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ session, ...(values.lang && { locale: values.lang }), ...body }),
  });
  const data = (await res.json()) as { replies?: Reply[]; error?: { message: string } };
  if (!res.ok || !data.replies) return console.log(`⚠  ${data.error?.message ?? res.statusText}`);
  buttons = [];
  for (const r of data.replies) for (const line of render(r)) console.log(line);
}

const rl = createInterface({ input: process.stdin, output: process.stdout });
console.log(`chatshop terminal chat — ${base}, store "${values.store}". Ctrl+D to leave.`);
try {
  await turn({ text: 'hi' });
} catch {
  console.log(`⚠  Cannot reach ${base}. Start the shop with npm start first.`);
  process.exit(1);
}
for (;;) {
  let line: string;
  try {
    line = (await rl.question('you › ')).trim();
  } catch {
    break;
  }
  if (!line) continue;
  const pressed = /^\d+$/.test(line) ? buttons[Number(line) - 1] : undefined;
  if (pressed?.url) console.log(`   open ${pressed.url}`);
  else await turn(pressed?.action ? { action: pressed.action } : { text: line });
}
rl.close();
