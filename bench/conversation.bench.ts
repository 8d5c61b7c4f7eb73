// Engine turn latency: input -> replies, in process, embedded database, no
// language model. Issue target: turn p99 <= 25 ms.
//   npx tsx bench/conversation.bench.ts
import { seedDemoStore } from '../src/catalog/demo-store.ts';
import { createTestApp, databases } from '../test/helpers/test-app.ts';
import { percentile } from './lib/report.ts';

const TARGET_P99_MS = 25;
const SESSIONS = 40;
const ROUNDS = 5;

/** A shopper's script: words and the first button of the last reply. */
const script: ({ text: string } | { tapFirst: string })[] = [
  { text: 'hi' },
  { text: 'red hoodie size M under 60' },
  { tapFirst: 'View' },
  { text: 'cheapest mug' },
  { text: 'add the first one' },
  { text: 'show my cart' },
  { text: 'compare the hoodies' },
  { text: 'gift for a coffee lover' },
  { text: 'hoddie' },
  { text: 'where is my order' },
];

type Replies = { buttons?: { label: string; action?: string }[]; items?: { buttons: { label: string; action?: string }[] }[] }[];

for (const kind of databases) {
  const t = await createTestApp(kind, { env: { LOG_LEVEL: 'silent' } });
  await seedDemoStore(t.container.services.catalog);
  const engine = t.container.services.conversation;
  const timings: Record<string, number[]> = {};
  const all: number[] = [];
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    for (let s = 0; s < SESSIONS; s++) {
      const identity = { externalUserId: `bench${round}x${s}` };
      let last: Replies = [];
      for (const step of script) {
        let input;
        if ('text' in step) input = { text: step.text };
        else {
          const button = last.flatMap((r) => [...(r.items?.flatMap((i) => i.buttons) ?? []), ...(r.buttons ?? [])]).find((b) => b.label === step.tapFirst);
          if (!button?.action) continue;
          input = { action: button.action };
        }
        const t0 = performance.now();
        last = (await engine.handle({ store: 'demo', channel: 'web', identity, ...input })) as Replies;
        const ms = performance.now() - t0;
        const name = 'text' in step ? step.text : `tap ${step.tapFirst}`;
        (timings[name] ??= []).push(ms);
        if (round > 0) all.push(ms); // round 0 warms up
      }
    }
  }
  const elapsed = performance.now() - started;
  all.sort((a, b) => a - b);
  console.log(`\n${kind}: ${all.length} timed turns in ${(elapsed / 1000).toFixed(1)} s`);
  console.log('turn'.padEnd(34), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8));
  for (const [name, list] of Object.entries(timings)) {
    const sorted = list.slice(SESSIONS).sort((a, b) => a - b);
    console.log(name.padEnd(34), percentile(sorted, 50).toFixed(1).padStart(8), percentile(sorted, 99).toFixed(1).padStart(8));
  }
  const p99 = percentile(all, 99);
  console.log(`${'all turns'.padEnd(34)} ${percentile(all, 50).toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)}  target p99 <= ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS ? 'PASS' : 'MISS'}`);
  await t.close();
}
