import { setTimeout as sleep } from 'node:timers/promises';

/** Pauses between looks at a projection: short first (it is usually a few hundred ms behind), then longer. */
const STEPS_MS = [25, 50, 100, 200, 400, 800, 1000];

export interface AwaitProjectionOptions<T> {
  /** The bound: after it the last read is returned as it is (0: one read, no wait). See PROJECTION_WAIT_MS. */
  timeoutMs: number;
  /** When the read counts as caught up; default: the read returned something (not null, undefined or false). */
  ready?: (value: T) => boolean;
}

/**
 * Read-your-writes across services. A command that validates against a projection of
 * another service's data (a job posted a moment ago, a member approved a moment ago) may
 * run before the event that feeds the projection has arrived. Rather than refuse it as
 * NOT_FOUND, look again for a bounded time, then answer with the last read: the caller
 * refuses what is still missing, meaning it does not exist (or the pipeline is down).
 *
 * `read` must run outside any transaction and hold no connection between looks (a plain
 * `dataSource` query takes a pooled connection and gives it back): waiting inside a
 * transaction would hold a connection, and a REPEATABLE READ snapshot would never see the row.
 */
export async function awaitProjection<T>(read: () => Promise<T>, options: AwaitProjectionOptions<T>): Promise<T> {
  const ready = options.ready ?? ((value: T) => value !== null && value !== undefined && value !== false);
  const deadline = Date.now() + options.timeoutMs;
  for (let step = 0; ; step++) {
    const value = await read();
    if (ready(value)) return value;
    const left = deadline - Date.now();
    if (left <= 0) return value;
    await sleep(Math.min(STEPS_MS[Math.min(step, STEPS_MS.length - 1)], left));
  }
}
