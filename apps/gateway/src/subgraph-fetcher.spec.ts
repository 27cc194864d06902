import { dedupingFetcher, type Fetcher } from './subgraph-fetcher';

describe('dedupingFetcher', () => {
  const URL = 'http://identity/graphql';
  const READ = JSON.stringify({ query: 'query Me__identity__0{me{id}}', variables: {} });
  const WRITE = JSON.stringify({ query: 'mutation SignOut__identity__0{signOut}', variables: {} });
  const init = (body: string, authorization = 'Bearer alice') => ({ method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });

  const setUp = () => {
    const send = jest.fn(async (_url: string, request?: { body?: string }) => {
      await new Promise((r) => setTimeout(r, 5)); // still in flight when the others arrive
      return new Response(JSON.stringify({ data: { echo: request?.body } }), { status: 200, headers: { 'content-type': 'application/json' } });
    });
    return { send, fetcher: dedupingFetcher(send as unknown as Fetcher) };
  };

  it('sends identical reads of one caller in flight at once a single time, each answered with its own response', async () => {
    const { send, fetcher } = setUp();
    const responses = await Promise.all([1, 2, 3].map(() => fetcher(URL, init(READ))));
    expect(send).toHaveBeenCalledTimes(1);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(bodies).toEqual([1, 2, 3].map(() => ({ data: { echo: READ } })));
    expect(bodies[0]).not.toBe(bodies[1]);
  });

  it('never shares between callers, nor between requests that are not in flight together', async () => {
    const { send, fetcher } = setUp();
    await Promise.all([fetcher(URL, init(READ, 'Bearer alice')), fetcher(URL, init(READ, 'Bearer bob')), fetcher(URL, init(READ, ''))]);
    expect(send).toHaveBeenCalledTimes(3);
    await fetcher(URL, init(READ, 'Bearer alice'));
    expect(send).toHaveBeenCalledTimes(4);
  });

  it('sends every mutation', async () => {
    const { send, fetcher } = setUp();
    await Promise.all([fetcher(URL, init(WRITE)), fetcher(URL, init(WRITE))]);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('fails every waiting request when the shared one fails, and forgets it', async () => {
    const send = jest
      .fn()
      .mockRejectedValueOnce(new Error('connection refused'))
      .mockResolvedValue(new Response('{"data":{}}', { status: 200 }));
    const fetcher = dedupingFetcher(send as unknown as Fetcher);
    const results = await Promise.allSettled([fetcher(URL, init(READ)), fetcher(URL, init(READ))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(fetcher(URL, init(READ))).resolves.toMatchObject({ status: 200 });
  });
});
