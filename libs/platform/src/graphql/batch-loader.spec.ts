import { BatchLoader, PerRequest } from './batch-loader';

describe('BatchLoader', () => {
  it('answers every load of one tick with a single fetch, and caches per key', async () => {
    const fetch = jest.fn(async (keys: string[]) => new Map(keys.map((k) => [k, k.toUpperCase()])));
    const loader = new BatchLoader(fetch);
    const values = await Promise.all([loader.load('a'), loader.load('b'), loader.load('a'), Promise.resolve().then(() => loader.load('c'))]);
    expect(values).toEqual(['A', 'B', 'A', 'C']);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(['a', 'b', 'c']);
    expect(await loader.load('b')).toBe('B');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('rejects the whole batch when the fetch fails, and retries those keys later', async () => {
    let fail = true;
    const loader = new BatchLoader(async (keys: string[]) => {
      if (fail) throw new Error('database down');
      return new Map(keys.map((k) => [k, k.length]));
    });
    await expect(Promise.all([loader.load('x'), loader.load('yy')])).rejects.toThrow('database down');
    fail = false;
    expect(await loader.load('yy')).toBe(2);
  });

  it('rejects a key the fetch did not answer', async () => {
    const loader = new BatchLoader(async () => new Map<string, number>());
    await expect(loader.load('missing')).rejects.toThrow('no value for key missing');
  });

  it('orNull: one fetch for the keys of a tick, a key not found loads as null', async () => {
    const fetched: string[][] = [];
    const loader = BatchLoader.orNull(async (keys: string[]) => {
      fetched.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]));
    });
    expect(await Promise.all([loader.load('x'), loader.load('missing'), loader.load('yy')])).toEqual([1, null, 2]);
    expect(fetched).toEqual([['x', 'missing', 'yy']]);
  });
});

describe('PerRequest', () => {
  it('gives each request context its own loader', () => {
    const perRequest = new PerRequest(() => ({}));
    const [one, two] = [{}, {}];
    expect(perRequest.for(one)).toBe(perRequest.for(one));
    expect(perRequest.for(one)).not.toBe(perRequest.for(two));
  });
});
