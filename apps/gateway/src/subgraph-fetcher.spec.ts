import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dedupingFetcher, keepAliveFetcher, subgraphAgents, type Fetcher, type SubgraphAgents } from './subgraph-fetcher';

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
    expect(responses.map((r) => [r.status, r.headers.get('content-type')])).toEqual([1, 2, 3].map(() => [200, 'application/json']));
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

describe('keepAliveFetcher', () => {
  let server: Server;
  let url: string;
  let agents: SubgraphAgents;
  const connections = new Set<string>();
  let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      connections.add(`${req.socket.remotePort}`);
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => handler(req, res, body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  beforeEach(() => {
    agents = subgraphAgents();
    connections.clear();
  });
  afterEach(() => {
    agents.http.destroy();
    agents.https.destroy();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, headers and body as given, and answers status, headers and body whole', async () => {
    handler = (req, res, body) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      // The reply in two writes, a multi-byte character cut between them.
      const { authorization, 'content-length': length, 'transfer-encoding': encoding } = req.headers;
      const reply = Buffer.from(JSON.stringify({ data: { echo: body, method: req.method, authorization, length, encoding: encoding ?? null, name: 'Zoë' } }));
      const cut = reply.indexOf(Buffer.from('ë')) + 1;
      res.write(reply.subarray(0, cut));
      setTimeout(() => res.end(reply.subarray(cut)), 5);
    };
    const body = JSON.stringify({ query: 'query Me__identity__0{me{id displayName}}', variables: { note: 'ünïcode' } });
    const response = await keepAliveFetcher(agents)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer alice' },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await response.json()).toEqual({
      data: { echo: body, method: 'POST', authorization: 'Bearer alice', length: String(Buffer.byteLength(body)), encoding: null, name: 'Zoë' },
    });
  });

  it('answers an error status as a response, for the data source to turn into an error', async () => {
    handler = (_req, res) => {
      res.statusCode = 503;
      res.end('busy');
    };
    const response = await keepAliveFetcher(agents)(url, { method: 'POST', headers: {}, body: '{}' });
    expect(response.status).toBe(503);
    expect(response.ok).toBe(false);
    expect(response.statusText).toBe('Service Unavailable');
    expect(await response.text()).toBe('busy');
  });

  it('keeps one connection alive for requests one after another', async () => {
    handler = (_req, res) => res.end('{"data":{}}');
    const fetcher = keepAliveFetcher(agents);
    for (let i = 0; i < 5; i++) await (await fetcher(url, { method: 'POST', headers: {}, body: '{}' })).text();
    expect(connections.size).toBe(1);
  });

  it('fails a request whose connection is lost before the response ends, and one that is aborted', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"data":');
      setTimeout(() => res.socket?.destroy(), 5);
    };
    const fetcher = keepAliveFetcher(agents);
    await expect(fetcher(url, { method: 'POST', headers: {}, body: '{}' })).rejects.toThrow();
    handler = () => undefined; // never answers
    await expect(fetcher(url, { method: 'POST', headers: {}, body: '{}', signal: AbortSignal.timeout(20) })).rejects.toThrow(/abort/i);
  });
});
