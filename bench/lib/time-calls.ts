import { PrismaAudience } from '../../src/infra/prisma/audience.repository.ts';
import { PrismaBroadcastRepository } from '../../src/infra/prisma/broadcast.repository.ts';
import type { Container } from '../../src/container.ts';
import { BroadcastRunner } from '../../src/marketing/broadcast-runner.ts';
import type { MarketingSender } from '../../src/marketing/broadcast.ports.ts';

type Stats = Map<string, { n: number; ms: number }>;

/** `target` with every method's awaited time summed into `stats` under `prefix.method`. */
function timed<T extends object>(target: T, prefix: string, stats: Stats): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      const v: unknown = Reflect.get(t, key, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]): unknown => {
        const t0 = performance.now();
        const out = (v as (...a: unknown[]) => unknown).apply(t, args);
        // Prisma's promises are thenables, not Promises.
        if (typeof (out as { then?: unknown } | null)?.then !== 'function') return out;
        return Promise.resolve(out).finally(() => {
          const name = `${prefix}.${String(key)}`;
          const s = stats.get(name) ?? { n: 0, ms: 0 };
          s.n++;
          s.ms += performance.now() - t0;
          stats.set(name, s);
        });
      };
    },
  });
}

/**
 * The production runner (same repository, audience and rules as the
 * container's, quiet hours off) with the time of every database call it
 * awaits summed per method, and the process's CPU time alongside.
 */
export function timeCalls() {
  const stats: Stats = new Map();
  const total = () => [...stats.values()].reduce((a, s) => ({ n: a.n + s.n, ms: a.ms + s.ms }), { n: 0, ms: 0 });
  return {
    wrapRunner(c: Container, senders: MarketingSender[]) {
      const audience = new PrismaAudience(c.db, () => c.clock.now());
      return new BroadcastRunner(
        timed(new PrismaBroadcastRepository(c.db), 'repo', stats),
        timed(audience, 'audience', stats),
        senders,
        (ref) => c.services.broadcasts.message(ref),
        c.clock,
        c.log,
        { rules: { quietHours: null, timeZone: 'UTC', frequencyCap: { max: 3, perHours: 24 } } },
      );
    },
    snapshot: () => ({ ...total(), cpu: process.cpuUsage() }),
    report(at: { n: number; ms: number; cpu: NodeJS.CpuUsage }, deliveries: number) {
      const per = (x: number) => (deliveries ? x / deliveries : 0).toFixed(2);
      const cpu = (at.cpu.user + at.cpu.system) / 1000;
      const lines = [`database calls awaited by the runner: ${at.n} (${per(at.n)} per delivery), ${at.ms.toFixed(0)} ms = ${per(at.ms)} ms per delivery; process CPU ${cpu.toFixed(0)} ms in all (seeding included)`];
      for (const [name, s] of [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms)) lines.push(`    ${name.padEnd(26)} ${String(s.n).padStart(7)}× ${(s.ms / s.n).toFixed(2)} ms`);
      return lines.join('\n');
    },
  };
}
