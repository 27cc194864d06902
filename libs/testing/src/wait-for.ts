/** `T` without its falsy members. */
export type Truthy<T> = Exclude<T, false | 0 | 0n | '' | null | undefined>;

/**
 * Polls `probe` until it returns a truthy value (or stops throwing) and returns that value;
 * fails with the last error or value once `timeoutMs` has passed. For asynchronous effects
 * (Kafka delivery, delayed jobs) instead of fixed sleeps.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, timeoutMs = 10_000, options: { intervalMs?: number; message?: string } = {}): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  const interval = options.intervalMs ?? 50;
  let last: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (last) return last as Truthy<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = options.message ?? 'condition';
      const detail =
        lastError !== undefined ? `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : `last value: ${JSON.stringify(last)}`;
      throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms (${detail})`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
