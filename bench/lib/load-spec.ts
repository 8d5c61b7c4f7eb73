/** What the bench process asks the load client to do, and what it gets back. */

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A JSON body, already serialised. */
  body?: string;
}

export interface LoadSpec {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** One queue per client; each client keeps exactly one request in flight. */
  queues: BenchRequest[][];
  /** The first `warmup` requests of every queue run before the clock starts and are not counted. */
  warmup: number;
  /** No client starts a new request after this many ms of the timed phase. */
  durationMs: number;
}

export interface LoadResult {
  /** Latency of each counted request, ms, in completion order. */
  latencies: number[];
  /** Counted requests that failed: non-2xx status or no response. */
  errors: number;
  /** A few distinct failures, e.g. "409 INSUFFICIENT_STOCK", for the report. */
  errorSamples: string[];
  /** Wall time of the timed phase, ms. */
  elapsedMs: number;
}
