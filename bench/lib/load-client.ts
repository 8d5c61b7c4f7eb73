/**
 * The load generator, run as a child process (see load.ts) so that the
 * clients' fetch work does not share an event loop with the server under test.
 * Receives one LoadSpec over IPC, replies with one LoadResult and exits.
 */
import type { BenchRequest, LoadResult, LoadSpec } from './load-spec.ts';

interface Outcome {
  ms: number;
  failure: string | null;
}

async function send(baseUrl: string, r: BenchRequest): Promise<Outcome> {
  const start = performance.now();
  try {
    const res = await fetch(baseUrl + r.path, {
      method: r.method,
      headers: { ...(r.body !== undefined && { 'content-type': 'application/json' }), ...r.headers },
      ...(r.body !== undefined && { body: r.body }),
    });
    // The whole body is read: a response is not done until the client has it.
    const text = await res.text();
    const ms = performance.now() - start;
    if (res.ok) return { ms, failure: null };
    const code = /"code"\s*:\s*"([A-Z_]+)"/.exec(text)?.[1] ?? text.slice(0, 80);
    return { ms, failure: `${res.status} ${code}` };
  } catch (err) {
    return { ms: performance.now() - start, failure: `no response: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Runs every queue from `from` (exclusive `to`), one in flight per queue, until the deadline. */
async function phase(spec: LoadSpec, from: number, to: number, deadline: number, record: ((o: Outcome) => void) | null) {
  await Promise.all(
    spec.queues.map(async (queue) => {
      for (let i = from; i < Math.min(to, queue.length); i++) {
        if (performance.now() >= deadline) return;
        const request = queue[i];
        if (!request) return;
        const outcome = await send(spec.baseUrl, request);
        record?.(outcome);
      }
    }),
  );
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  await phase(spec, 0, spec.warmup, Number.POSITIVE_INFINITY, null);
  const latencies: number[] = [];
  const samples = new Set<string>();
  let errors = 0;
  const start = performance.now();
  await phase(spec, spec.warmup, Number.POSITIVE_INFINITY, start + spec.durationMs, (o) => {
    latencies.push(o.ms);
    if (o.failure !== null) {
      errors++;
      if (samples.size < 5) samples.add(o.failure);
    }
  });
  return { latencies, errors, errorSamples: [...samples], elapsedMs: performance.now() - start };
}

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (err: unknown) => {
      process.stderr.write(`load client failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
});
