/**
 * A label value taken from what clients send (e.g. a GraphQL operation name), kept to a fixed
 * number of distinct values: the first `limit` values seen keep their own series, every later
 * one is reported as `overflow`. Without it, a client naming each request differently would
 * create a series per request and exhaust Prometheus.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    /** Values that are always reported as they are and do not count towards the limit. */
    private readonly reserved: readonly string[] = [],
    private readonly overflow = 'other',
  ) {}

  of(value: string): string {
    if (this.seen.has(value) || this.reserved.includes(value)) return value;
    if (this.seen.size >= this.limit) return this.overflow;
    this.seen.add(value);
    return value;
  }
}
