/**
 * At most `max` interactions' work runs at once; the rest wait their turn,
 * up to `maxWaiting`. Waiting work costs no CPU or database time, so under a
 * burst the acknowledgements (verify, claim, defer) stay fast while the work
 * itself catches up through follow-ups (tokens stay valid 15 minutes).
 */
export class WorkSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly maxWaiting: number,
  ) {}

  /** Runs `work` when a slot is free; null (nothing started) when too much is already waiting. */
  run<T>(work: () => Promise<T>): Promise<T> | null {
    if (this.running >= this.max && this.waiting.length >= this.maxWaiting) return null;
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        work()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.waiting.shift()?.();
          });
      };
      if (this.running < this.max) start();
      else this.waiting.push(start);
    });
  }

  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
