/**
 * One subgraph down costs only its own fields: the gateway stays ready, answers what the
 * running subgraphs own, and reports the missing part as an error on that field alone
 * (INTERNAL_SERVER_ERROR, no host, port or subgraph name shown).
 */
import { registerPersona, startStack, waitFor, type Persona, type Stack } from '@talent/testing';

jest.setTimeout(180_000);

let stack: Stack;
let client: Persona;

beforeAll(async () => {
  stack = await startStack({ services: ['identity', 'jobs', 'rewards'] });
  client = await registerPersona(stack, ['CLIENT'], 'Partial Client');
});

afterAll(async () => {
  await stack?.stop();
});

const QUERY = `{
  me { displayName wallet { balance } }
  jobs(first: 5) { totalCount }
}`;

const gatewayProbe = async (path: string) => {
  const res = await fetch(`${stack.gateway.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

it('answers everything while every subgraph runs (control)', async () => {
  const res = await client.api.request(QUERY);
  expect(res.errors).toBeUndefined();
  expect(res.data).toEqual({ me: { displayName: 'Partial Client', wallet: { balance: expect.any(String) } }, jobs: { totalCount: expect.any(Number) } });
  expect((await gatewayProbe('/ready')).status).toBe(200);
});

it('with rewards stopped: data from identity and jobs, an error for the wallet only, and the gateway stays ready', async () => {
  await stack.services.rewards.process.stop();

  const res = await client.api.request(QUERY);
  expect(res.data).toEqual({ me: { displayName: 'Partial Client', wallet: null }, jobs: { totalCount: expect.any(Number) } });
  expect(res.errors).toHaveLength(1);
  const [error] = res.errors!;
  expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  expect(error.message).toBe('Internal server error');
  expect(JSON.stringify(res.errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|rewards/i);

  // Readiness is about the gateway itself; the subgraph's state is news in /health and metrics.
  const ready = await gatewayProbe('/ready');
  expect(ready).toEqual({ status: 200, body: { status: 'ok', details: { supergraph: 'up' } } });
  const health = await waitFor(
    async () => {
      const h = await gatewayProbe('/health');
      return h.body.details.subgraphs.rewards.status === 'down' && h;
    },
    30_000,
    { message: 'gateway /health shows rewards down' },
  );
  expect(health.status).toBe(200);
  expect(health.body.details.subgraphs.identity.status).toBe('up');
  expect(health.body.details.subgraphs.jobs.status).toBe('up');
  const metrics = await (await fetch(`${stack.gateway.url}/metrics`)).text();
  expect(metrics).toMatch(/dependency_up\{dependency="rewards"[^}]*\} 0/);
  expect(metrics).toMatch(/dependency_up\{dependency="jobs"[^}]*\} 1/);
});

it('a query that needs only the running subgraphs has no error at all', async () => {
  const res = await client.api.request(`{ me { displayName } jobs(first: 1) { totalCount } }`);
  expect(res.errors).toBeUndefined();
  expect(res.data?.me.displayName).toBe('Partial Client');
});

it('answers the wallet again once rewards is back', async () => {
  await stack.services.rewards.restart();
  const res = await client.api.request(QUERY);
  expect(res.errors).toBeUndefined();
  expect(res.data?.me.wallet).toEqual({ balance: expect.any(String) });
});
