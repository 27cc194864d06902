/**
 * The gateway's edge protections and probes, on the real stack (identity behind it):
 * what a browser or a hostile client meets before any subgraph is called.
 */
import { errorCode, waitFor } from '@talent/testing';
import { register, startGatewayStack, type GatewayStack } from './stack';

// Jest 30 reads testTimeout only from the global config, not from the e2e project: set it here.
jest.setTimeout(120_000);

let stack: GatewayStack;

beforeAll(async () => {
  stack = await startGatewayStack();
});

afterAll(async () => {
  await stack?.stop();
});

const post = (body: string, headers: Record<string, string>) => fetch(`${stack.gateway.url}/graphql`, { method: 'POST', headers, body });
const organizationsNamed = async (name: string) => (await stack.sql('SELECT 1 FROM organizations WHERE name = $1', [name])).length;

describe('request size', () => {
  it('refuses a body larger than 64kb with HTTP 413', async () => {
    const res = await post(JSON.stringify({ query: '{ me { id } }', variables: { padding: 'x'.repeat(70 * 1024) } }), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(413);
  });

  it('accepts a body just under the limit (control)', async () => {
    const res = await post(JSON.stringify({ query: '{ me { id } }', variables: { padding: 'x'.repeat(60 * 1024) } }), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { me: null } });
  });
});

describe('query limits', () => {
  const nested = (levels: number) => {
    let selection = '{ id }';
    for (let i = 0; i < levels; i++) selection = `{ organizations { members ${selection} } }`;
    return `{ me ${selection} }`;
  };

  it('refuses a query deeper than the limit before running it: errors, no data', async () => {
    const user = await register(stack);
    const res = await user.api.request(nested(6)); // depth 14 > 10
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.data ?? null).toBeNull();
    expect(res.errors![0].message).toMatch(/depth/i);
    // A query within the limit runs (control).
    const ok = await user.api.request(nested(2));
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.me.organizations).toEqual([]);
  });

  it('refuses a deep mutation without running it', async () => {
    const user = await register(stack);
    let selection = '{ id }';
    for (let i = 0; i < 6; i++) selection = `{ organizations { members ${selection} } }`;
    const res = await user.api.request(`mutation { createOrganization(name: "Deep Org") { members ${selection} } }`);
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.data ?? null).toBeNull();
    expect(await organizationsNamed('Deep Org')).toBe(0);
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ');
    const res = await stack.api.request(`{ ${aliases} }`);
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.data ?? null).toBeNull();
  });

  it('refuses batched requests', async () => {
    const res = await post(JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]), { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
  });
});

describe('CSRF prevention', () => {
  it('refuses a text/plain POST (a "simple" cross-site request) and runs nothing', async () => {
    const user = await register(stack);
    const res = await post(JSON.stringify({ query: 'mutation { createOrganization(name: "CSRF Ltd") { id } }' }), {
      'content-type': 'text/plain',
      authorization: `Bearer ${user.accessToken}`,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
    expect(await organizationsNamed('CSRF Ltd')).toBe(0);
  });

  it('refuses a form-encoded POST', async () => {
    const res = await post('query=%7B%20me%20%7B%20id%20%7D%20%7D', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('accepts the same mutation as application/json (control)', async () => {
    const user = await register(stack);
    const res = await user.api.request('mutation { createOrganization(name: "JSON Ltd") { id } }');
    expect(res.errors).toBeUndefined();
    expect(await organizationsNamed('JSON Ltd')).toBe(1);
  });
});

describe('queries', () => {
  it('answers a query sent with GET and its query string, when the request names itself (CSRF preflight)', async () => {
    const user = await register(stack);
    const url = `${stack.gateway.url}/graphql?${new URLSearchParams({ query: 'query Me { me { id } }', operationName: 'Me' })}`;
    const headers = { authorization: `Bearer ${user.accessToken}` };
    const res = await fetch(url, { headers: { ...headers, 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { me: { id: user.id } } });
    expect((await fetch(url, { headers })).status).toBe(400);
  });

  it('shapes each answer by its own variables, for the same document asked again', async () => {
    const user = await register(stack);
    const query = 'query Me($named: Boolean!) { me { id displayName @include(if: $named) } }';
    const shapes = [];
    for (const named of [true, false, true, false]) shapes.push(Object.keys((await user.api.data<{ me: object }>(query, { named })).me));
    expect(shapes).toEqual([['id', 'displayName'], ['id'], ['id', 'displayName'], ['id']]);
  });
});

describe('errors', () => {
  it('reports unknown fields as validation errors, without stack traces', async () => {
    const res = await stack.api.request('{ me { id salary } }');
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|\.ts:\d|node_modules/);
  });
});

describe('probes', () => {
  it('answers /health and /ready with 200 while identity is up', async () => {
    for (const path of ['/health', '/ready']) {
      const res = await fetch(`${stack.gateway.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok' });
    }
  });

  // Last: stops identity.
  it('exposes Prometheus metrics: request durations at the gateway, the outbox backlog in identity', async () => {
    await stack.api.request('{ me { id } }');
    const gateway = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    const graphqlCount = gateway.split('\n').find((l) => l.startsWith('http_request_duration_seconds_count{') && l.includes('route="/graphql"'));
    expect(graphqlCount).toMatch(/service="gateway".*\} [1-9]\d*$/);
    const identity = await (await fetch(`${stack.identity.url}/metrics`)).text();
    expect(identity).toMatch(/^outbox_pending_events\{service="identity"\} \d+$/m);
    expect(identity).toMatch(/^process_resident_memory_bytes\{service="identity"\} \d+/m);
  });

  // A subgraph down costs only its fields (partial-results.e2e-spec.ts): the gateway stays ready, /health says which is down.
  it('stays ready without identity, and /health shows identity down', async () => {
    await stack.identity.stop();
    const ready = await fetch(`${stack.gateway.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', details: { supergraph: 'up' } });
    await waitFor(
      async () => {
        const health = await fetch(`${stack.gateway.url}/health`);
        return (
          health.status === 200 &&
          ((await health.json()) as { details: { subgraphs: Record<string, { status: string }> } }).details.subgraphs.identity.status === 'down'
        );
      },
      30_000,
      { message: 'gateway /health shows identity down' },
    );
  });
});
