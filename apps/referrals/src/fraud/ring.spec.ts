import { closesRing, reaches, type ReferredBy } from './ring';

/** An in-memory referral graph: connector -> referred users; counts the lookups made. */
function graph(edges: Array<[string, string]>): ReferredBy & { calls: string[][] } {
  const calls: string[][] = [];
  const fn = async (from: readonly string[]) => {
    calls.push([...from]);
    return edges.filter(([src]) => from.includes(src)).map(([, dst]) => dst);
  };
  return Object.assign(fn, { calls });
}

describe('closesRing', () => {
  it('A refers B, then B refers A: the second closes a ring', async () => {
    expect(await closesRing('A', 'B', graph([]))).toBe(false);
    expect(await closesRing('B', 'A', graph([['A', 'B']]))).toBe(true);
  });

  it('finds longer chains back to the referrer: A -> B -> C, then C refers A', async () => {
    const g = graph([
      ['A', 'B'],
      ['B', 'C'],
    ]);
    expect(await closesRing('C', 'A', g)).toBe(true);
    expect(await closesRing('A', 'C', g)).toBe(false); // a second path A -> C is no ring
  });

  it('is no ring when the chain leads elsewhere', async () => {
    const g = graph([
      ['A', 'B'],
      ['B', 'C'],
      ['D', 'A'],
    ]);
    expect(await closesRing('E', 'A', g)).toBe(false);
    expect(await closesRing('D', 'C', g)).toBe(false);
  });

  it('leaves self-referrals to their own rule', async () => {
    expect(await closesRing('A', 'A', graph([['A', 'A']]))).toBe(false);
  });
});

describe('reaches', () => {
  it('terminates on cycles and visits each user once, one lookup per level', async () => {
    const g = graph([
      ['A', 'B'],
      ['B', 'C'],
      ['C', 'A'],
      ['C', 'B'],
    ]);
    expect(await reaches('A', 'Z', g)).toBe(false);
    expect(g.calls).toEqual([['A'], ['B'], ['C']]);
  });

  it('looks up a whole frontier at once', async () => {
    const g = graph([
      ['A', 'B'],
      ['A', 'C'],
      ['B', 'D'],
      ['C', 'E'],
      ['E', 'F'],
    ]);
    expect(await reaches('A', 'F', g)).toBe(true);
    expect(g.calls).toEqual([['A'], ['B', 'C'], ['D', 'E']]);
  });

  it('gives up beyond the maximum chain length', async () => {
    const chain = Array.from({ length: 10 }, (_, i): [string, string] => [`U${i}`, `U${i + 1}`]);
    expect(await reaches('U0', 'U10', graph(chain), 10)).toBe(true);
    expect(await reaches('U0', 'U10', graph(chain), 9)).toBe(false);
  });
});
