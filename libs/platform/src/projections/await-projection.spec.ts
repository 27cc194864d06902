import { awaitProjection } from './await-projection';

describe('awaitProjection', () => {
  it('returns at once when the projection already has the row', async () => {
    const read = jest.fn(async () => ({ id: 'a' }));
    await expect(awaitProjection(read, { timeoutMs: 5_000 })).resolves.toEqual({ id: 'a' });
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('looks again until the row arrives', async () => {
    let calls = 0;
    const read = async () => (++calls >= 3 ? 'found' : null);
    await expect(awaitProjection(read, { timeoutMs: 5_000 })).resolves.toBe('found');
    expect(calls).toBe(3);
  });

  it('gives up after the bound with the last read', async () => {
    const read = jest.fn(async () => false);
    await expect(awaitProjection(read, { timeoutMs: 60 })).resolves.toBe(false);
    expect(read.mock.calls.length).toBeGreaterThan(1);
  });

  it('reads once with a bound of 0, and honours a custom readiness test', async () => {
    const read = jest.fn(async () => 0);
    await expect(awaitProjection(read, { timeoutMs: 0, ready: (n) => n > 0 })).resolves.toBe(0);
    expect(read).toHaveBeenCalledTimes(1);
  });
});
