/** Thrown when work did not finish within its time budget. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`deadline of ${ms} ms exceeded`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * A time budget shared by several awaits: `signal` aborts the work in flight
 * (HTTP clients honour it) and `race` stops waiting even for work that
 * ignores the signal. Call `dispose()` when done.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly expired: Promise<never>;

  constructor(readonly ms: number) {
    this.expired = new Promise<never>((_, reject) => {
      this.controller.signal.addEventListener('abort', () => reject(new DeadlineExceeded(ms)), { once: true });
    });
    // A rejection nobody races for is not an error.
    this.expired.catch(() => undefined);
    this.timer = setTimeout(() => this.controller.abort(), ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expired]);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
