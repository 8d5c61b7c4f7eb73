import { describe, expect, it } from 'vitest';
import { WorkSlots } from '../../adapters/discord/work-slots.ts';

describe('WorkSlots (bounded interaction work)', () => {
  it('runs at most `max` at once, queues up to `maxWaiting` in order, refuses the rest', async () => {
    const slots = new WorkSlots(2, 1);
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const job = (n: number) => () =>
      new Promise<number>((resolve) => {
        started.push(n);
        gates[n] = () => resolve(n);
      });
    const a = slots.run(job(0));
    const b = slots.run(job(1));
    const c = slots.run(job(2));
    expect(slots.run(job(3))).toBeNull();
    expect(started).toEqual([0, 1]);
    expect(slots.load).toEqual({ running: 2, waiting: 1 });
    gates[0]?.();
    expect(await a).toBe(0);
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[1]?.();
    gates[2]?.();
    expect(await Promise.all([b, c])).toEqual([1, 2]);
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when the work fails', async () => {
    const slots = new WorkSlots(1, 0);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(() => Promise.resolve('next'))).toBe('next');
  });
});
