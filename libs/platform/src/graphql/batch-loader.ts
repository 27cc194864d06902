import DataLoader from 'dataloader';

/**
 * A per-request batcher (the `dataloader` package): every `load(key)` made while one GraphQL
 * level resolves is answered by one `fetch(keys)` call, which returns a value per key it found.
 * A key the fetch did not answer rejects; a failed fetch rejects its batch and is not cached.
 */
export class BatchLoader<K, V> extends DataLoader<K, V> {
  constructor(fetch: (keys: K[]) => Promise<Map<K, V>>) {
    super(async (keys) => {
      const values = await fetch([...keys]);
      return keys.map((key) => (values.has(key) ? (values.get(key) as V) : new Error(`BatchLoader: no value for key ${String(key)}`)));
    });
  }

  /** For lookups by id (entity references): a key the fetch did not find loads as null instead of rejecting. */
  static orNull<K, V>(fetch: (keys: K[]) => Promise<Map<K, V>>): BatchLoader<K, V | null> {
    return new BatchLoader<K, V | null>(async (keys) => {
      const found = await fetch(keys);
      return new Map(keys.map((key) => [key, found.get(key) ?? null]));
    });
  }
}

/** One loader per request (keyed by the request's context object), gone with the request: never shared between callers. */
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
