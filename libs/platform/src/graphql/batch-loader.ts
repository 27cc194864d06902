/**
 * A minimal per-request batcher (the `dataloader` idea without the dependency): every
 * `load(key)` made while one GraphQL level resolves is answered by one `fetch(keys)` call.
 */
export class BatchLoader<K, V> {
  private pending: Array<{ key: K; resolve: (value: V) => void; reject: (error: unknown) => void }> = [];
  private readonly cache = new Map<K, Promise<V>>();

  constructor(private readonly fetch: (keys: K[]) => Promise<Map<K, V>>) {}

  load(key: K): Promise<V> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const promise = new Promise<V>((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      // Like DataLoader: flush after the promise jobs of the current tick, so sibling
      // resolvers of a list all enqueue their keys first.
      if (this.pending.length === 1) void Promise.resolve().then(() => process.nextTick(() => void this.flush()));
    });
    this.cache.set(key, promise);
    return promise;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const values = await this.fetch(batch.map((b) => b.key));
      for (const { key, resolve, reject } of batch) {
        if (values.has(key)) resolve(values.get(key) as V);
        else reject(new Error(`BatchLoader: no value for key ${String(key)}`));
      }
    } catch (error) {
      for (const { key, reject } of batch) {
        this.cache.delete(key);
        reject(error);
      }
    }
  }
}

/** One loader per request (keyed by the request's context object), gone with the request. */
export class PerRequest<L> {
  private readonly loaders = new WeakMap<object, L>();

  constructor(private readonly create: () => L) {}

  for(context: object): L {
    let loader = this.loaders.get(context);
    if (!loader) {
      loader = this.create();
      this.loaders.set(context, loader);
    }
    return loader;
  }
}
