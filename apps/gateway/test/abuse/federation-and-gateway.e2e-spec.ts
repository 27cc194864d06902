import { randomBytes } from 'node:crypto';
import { GATEWAY_SIGNATURE_HEADER, signGatewayRequest } from '@talent/platform';
import {
  createInspector,
  errorCode,
  makeMember,
  registerPersona,
  screenApproved,
  signInAdmin,
  startStack,
  waitFor,
  type GraphQLResponse,
  type Persona,
  type Stack,
} from '@talent/testing';

/*
 * The abuse suite at the edge and between services. What someone inside the network (or a
 * careless client) met: `_entities` sent straight to a subgraph returned a private contract,
 * the schema was open to introspection, a subgraph that was down showed its host and port.
 * Each attack runs on the real stack (identity, jobs, matching, referrals, rewards and
 * payments as processes, payments with NODE_ENV=production) and asserts what the attacker
 * would check: no private data, nothing changed, and the legitimate caller still served.
 */
jest.setTimeout(180_000);

const CONTRACT_BY_KEY = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Contract { id rate { amount } estimatedValue { amount } status } } }`;
const INVOICES_BY_KEY = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Contract { invoices { id total { amount } } } } }`;
const byKey = (type: 'User' | 'Job', fields: string) => `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} { id ${fields} } } }`;
const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const APPLY = `mutation ($job: ID!) { applyToJob(jobId: $job, coverLetter: "I can do it", proposedRate: { amount: "80", currency: "USD" }) { id } }`;
const HIRE = `mutation ($id: ID!) { hire(applicationId: $id) { id rate { amount } } }`;
const SUBMIT_INVOICE = `mutation ($input: SubmitInvoiceInput!) { submitInvoice(input: $input) { id } }`;
const INTROSPECTION = `{ __schema { queryType { name } types { name } } }`;

/** Things an error may never show a client: where the services run and how they failed. */
const INTERNALS = /127\.0\.0\.1|localhost|ECONNREFUSED|ECONNRESET|https?:\/\/|:\d{4,5}\b|serviceName|stacktrace|subgraph/i;

/** Retries a call while another service has not yet learnt what it needs (membership, a job, a contract). */
const eventually = <T>(call: () => Promise<GraphQLResponse<T>>, message: string): Promise<T> =>
  waitFor(
    async () => {
      const res = await call();
      if (res.errors?.length) {
        if (['NOT_FOUND', 'PRECONDITION_FAILED'].includes(errorCode(res as GraphQLResponse) ?? '')) return undefined;
        throw new Error(JSON.stringify(res.errors));
      }
      return res.data ?? undefined;
    },
    30_000,
    { message },
  ) as Promise<T>;

describe('abuse suite: federation lookups and subgraphs past the gateway', () => {
  let stack: Stack;
  let admin: Persona;
  let client: Persona;
  let talent: Persona;
  let stranger: Persona;
  let jobId: string;
  let contractId: string;
  let invoiceId: string;

  const subgraphUrl = (service: string) => `${stack.services[service].process.url}/graphql`;
  const post = (service: string, body: string, headers: Record<string, string> = {}) =>
    fetch(subgraphUrl(service), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const contractRef = () => ({ r: [{ __typename: 'Contract', id: contractId }] });

  beforeAll(async () => {
    stack = await startStack({ services: ['jobs', 'matching', 'referrals', 'rewards', 'payments'], env: { payments: { NODE_ENV: 'production' } } });
    admin = await signInAdmin(stack);
    const inspector = await createInspector(stack, admin);
    [client, talent, stranger] = await Promise.all([
      registerPersona(stack, ['CLIENT'], 'Private Client'),
      registerPersona(stack, ['TALENT'], 'Private Talent'),
      registerPersona(stack, ['TALENT', 'CONNECTOR'], 'Curious Stranger'),
    ]);
    for (const p of [client, talent, stranger]) await makeMember(stack, p, inspector);
    const skill = `ledger-${randomBytes(3).toString('hex')}`;
    await talent.api.data(`mutation ($input: TalentProfileInput!) { upsertTalentProfile(input: $input) { updatedAt } }`, {
      input: {
        headline: 'Ledger engineer',
        skills: [skill],
        yearsExperience: 5,
        hourlyRate: { amount: '80', currency: 'USD' },
        country: 'US',
        hoursPerWeek: 30,
        openToWork: true,
      },
    });
    await screenApproved(inspector, talent);
    await waitFor(
      async () => (await stack.services.matching.sql('SELECT eligible FROM talent_profiles WHERE user_id = $1', [talent.id]))[0]?.eligible === true,
      30_000,
      {
        message: 'matching knows the talent as eligible',
      },
    );
    const budget = { min: { amount: '60', currency: 'USD' }, max: { amount: '100', currency: 'USD' }, unit: 'HOURLY' };
    const input = {
      title: 'Ledger reconciliation',
      description: 'Private work.',
      skills: [skill],
      minYearsExperience: 1,
      countries: [],
      budget,
      hoursPerWeek: 30,
      durationWeeks: 8,
    };
    jobId = (await eventually(() => client.api.request<{ postJob: { id: string } }>(POST_JOB, { input }), 'client may post')).postJob.id;
    await waitFor(
      async () => {
        const { job } = await client.api.data<{ job: { matches: Array<{ talent: { id: string } }> } }>(
          `query ($id: ID!) { job(id: $id) { matches { talent { id } } } }`,
          { id: jobId },
        );
        return job.matches.some((m) => m.talent.id === talent.id);
      },
      30_000,
      { message: 'the talent is matched to the job' },
    );
    const { applyToJob } = await eventually(() => talent.api.request<{ applyToJob: { id: string } }>(APPLY, { job: jobId }), 'talent may apply');
    contractId = (await client.api.data<{ hire: { id: string } }>(HIRE, { id: applyToJob.id })).hire.id;
    const invoice = { contractId, description: 'Week 1', hours: 10 };
    invoiceId = (
      await eventually(() => talent.api.request<{ submitInvoice: { id: string } }>(SUBMIT_INVOICE, { input: invoice }), 'payments knows the contract')
    ).submitInvoice.id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('a subgraph answers only what the gateway signed', () => {
    const body = () => JSON.stringify({ query: CONTRACT_BY_KEY, variables: contractRef() });

    it('refuses an unsigned request with HTTP 401, even with a valid token of a party, and shows nothing', async () => {
      const res = await post('jobs', body(), { authorization: `Bearer ${client.accessToken}` });
      expect(res.status).toBe(401);
      const answer = await res.json();
      expect(answer).toEqual({ errors: [{ message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
    });

    it('refuses a wrong secret, a stale signature, a signature of another body, and a bare GET', async () => {
      const now = Date.now();
      const attempts: Array<[string, string]> = [
        ['wrong secret', signGatewayRequest(randomBytes(32).toString('base64'), body(), now)],
        ['signed ten minutes ago', signGatewayRequest(stack.gatewaySecret, body(), now - 10 * 60_000)],
        ['signed ten minutes ahead', signGatewayRequest(stack.gatewaySecret, body(), now + 10 * 60_000)],
        // A captured signature of an innocent query, replayed on a private one.
        ['another body', signGatewayRequest(stack.gatewaySecret, JSON.stringify({ query: '{ __typename }' }), now)],
        ['garbage', 'v1=deadbeef'],
      ];
      for (const [label, signature] of attempts) {
        const res = await post('jobs', body(), { authorization: `Bearer ${client.accessToken}`, [GATEWAY_SIGNATURE_HEADER]: signature });
        expect({ label, status: res.status }).toEqual({ label, status: 401 });
        expect(JSON.stringify(await res.json())).not.toContain('"rate"');
      }
      const get = await fetch(`${subgraphUrl('jobs')}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(get.status).toBe(401);
    });

    it('answers the same request signed as the gateway signs (control), and leaves probes, metrics and JWKS open', async () => {
      const res = await post('jobs', body(), {
        authorization: `Bearer ${client.accessToken}`,
        [GATEWAY_SIGNATURE_HEADER]: signGatewayRequest(stack.gatewaySecret, body()),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as GraphQLResponse).data!._entities).toEqual([
        { id: contractId, rate: { amount: '80.00' }, estimatedValue: expect.any(Object), status: 'ACTIVE' },
      ]);
      for (const [service, path] of [
        ['jobs', '/health'],
        ['jobs', '/ready'],
        ['payments', '/metrics'],
        ['identity', '/.well-known/jwks.json'],
      ]) {
        expect({ service, path, status: (await fetch(`${stack.services[service].process.url}${path}`)).status }).toEqual({ service, path, status: 200 });
      }
    });

    it('the gateway itself offers no `_entities` to forge representations with', async () => {
      const res = await stack.api.withToken(stranger.accessToken).request(CONTRACT_BY_KEY, contractRef());
      expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.data ?? null).toBeNull();
    });
  });

  describe('a lookup by key (`_entities`), signed as the gateway signs, meets the same authorization as the root field', () => {
    it('jobs: a contract, rate included, is for its parties and admins only, as `contract(id)` is', async () => {
      const jobs = stack.subgraph('jobs');
      const anonymous = await jobs.request(CONTRACT_BY_KEY, contractRef());
      expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
      expect(anonymous.data?._entities ?? [null]).toEqual([null]);
      const nosy = await jobs.withToken(stranger.accessToken).request(CONTRACT_BY_KEY, contractRef());
      expect(errorCode(nosy)).toBe('FORBIDDEN');
      expect(nosy.data?._entities ?? [null]).toEqual([null]);
      for (const res of [anonymous, nosy]) expect(JSON.stringify(res)).not.toMatch(/80\.00|ACTIVE/);
      // The root field says the same through the gateway.
      expect(errorCode(await stranger.api.request(`query ($id: ID!) { contract(id: $id) { rate { amount } } }`, { id: contractId }))).toBe('FORBIDDEN');
      for (const party of [client, talent, admin]) {
        const own = await jobs.withToken(party.accessToken).data<{ _entities: Array<{ rate: { amount: string } }> }>(CONTRACT_BY_KEY, contractRef());
        expect(own._entities[0].rate.amount).toBe('80.00');
      }
    });

    it("payments: a contract's invoices are for its parties and admins only", async () => {
      const payments = stack.subgraph('payments');
      for (const caller of [undefined, stranger.accessToken]) {
        const res = await payments.withToken(caller).request(INVOICES_BY_KEY, contractRef());
        expect(JSON.stringify(res)).not.toContain(invoiceId);
        expect(res.data?._entities?.[0]?.invoices ?? []).toEqual([]);
      }
      const own = await payments.withToken(client.accessToken).data<{ _entities: Array<{ invoices: Array<{ id: string }> }> }>(INVOICES_BY_KEY, contractRef());
      expect(own._entities[0].invoices.map((i) => i.id)).toEqual([invoiceId]);
    });

    it("identity, rewards, referrals: a user's e-mail, wallet and referral code are for the user and admins only", async () => {
      const ref = { r: [{ __typename: 'User', id: talent.id }] };
      const owned = { identity: 'email', rewards: 'wallet { balance }', referrals: 'referralCode' };
      const fields = async (service: keyof typeof owned, token?: string) => {
        const res = await stack.subgraph(service).withToken(token).request(byKey('User', owned[service]), ref);
        expect(res.errors).toBeUndefined();
        return res.data!._entities[0];
      };
      for (const caller of [undefined, stranger.accessToken]) {
        expect(await fields('identity', caller)).toEqual({ id: talent.id, email: null });
        expect(await fields('rewards', caller)).toEqual({ id: talent.id, wallet: null });
        expect(await fields('referrals', caller)).toEqual({ id: talent.id, referralCode: null });
      }
      expect(await fields('identity', talent.accessToken)).toEqual({ id: talent.id, email: talent.email });
      expect((await fields('rewards', talent.accessToken)).wallet).toEqual({ balance: expect.any(String) });
      expect((await fields('rewards', admin.accessToken)).wallet).toEqual({ balance: expect.any(String) });
    });

    it("matching: a job's matches are for its client and admins only; anonymous callers see no referrals", async () => {
      const ref = { r: [{ __typename: 'Job', id: jobId }] };
      const matches = (token?: string) => stack.subgraph('matching').withToken(token).request(byKey('Job', 'matches { talent { id } }'), ref);
      for (const caller of [undefined, stranger.accessToken]) {
        const res = await matches(caller);
        expect(JSON.stringify(res)).not.toContain(talent.id);
        expect(res.data?._entities?.[0]?.matches ?? []).toEqual([]);
      }
      expect((await matches(client.accessToken)).data!._entities[0].matches).toEqual([{ talent: { id: talent.id } }]);
      const referrals = await stack.subgraph('referrals').request(byKey('Job', 'referrals { id }'), ref);
      expect(referrals.data!._entities).toEqual([{ id: jobId, referrals: [] }]);
    });
  });

  describe('no schema discovery', () => {
    it('a subgraph in production serves no introspection, even signed; one in development does (control)', async () => {
      const production = await stack.subgraph('payments').request(INTROSPECTION);
      expect(errorCode(production)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(production.data ?? null).toBeNull();
      const development = await stack.subgraph('jobs').data<{ __schema: { queryType: { name: string } } }>(INTROSPECTION);
      expect(development.__schema.queryType.name).toBe('Query');
    });

    it('the gateway serves no introspection unless GRAPHQL_INTROSPECTION is set, and suggests no field names', async () => {
      for (const query of [INTROSPECTION, `{ __type(name: "Contract") { fields { name } } }`]) {
        const res = await stack.api.withToken(admin.accessToken).request(query);
        expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(res.data ?? null).toBeNull();
      }
      const typo = await stack.api.request(`{ me { emial } }`);
      expect(errorCode(typo)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(typo)).not.toMatch(/did you mean|email/i);
      // An ordinary `__typename` is not introspection (control).
      expect(await stack.api.data(`{ __typename }`)).toEqual({ __typename: 'Query' });
    });
  });

  // Last: stops rewards.
  it('a subgraph that is down: the rest of the answer, and an error without host names, ports or URLs (logged in full at the gateway)', async () => {
    const rewardsPort = String(stack.services.rewards.process.port);
    await stack.services.rewards.process.stop();
    const res = await talent.api.request<{ me: { id: string; displayName: string; wallet: unknown } }>(`{ me { id displayName wallet { balance } } }`);
    expect(res.data!.me).toEqual({ id: talent.id, displayName: 'Private Talent', wallet: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(Object.keys(res.errors![0].extensions!)).toEqual(['code']);
    const supply = await stack.api.request(`{ tokenSupply { communityPoolRemaining } }`);
    expect(errorCode(supply)).toBe('INTERNAL_SERVER_ERROR');
    for (const answer of [res, supply]) {
      expect(JSON.stringify(answer)).not.toMatch(INTERNALS);
      expect(JSON.stringify(answer)).not.toContain(rewardsPort);
      expect(JSON.stringify(answer)).not.toMatch(/rewards/i);
    }
    // Ops still get the detail, through the gateway's pino log.
    await waitFor(async () => stack.gateway.output().includes('ECONNREFUSED'), 10_000, { message: 'the gateway logs the cause' });
    expect(stack.gateway.output()).toMatch(/"level":"error".*error hidden from the client/);
  });
});

describe('abuse suite: a gateway-level rate limit per client', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ services: ['identity'], env: { gateway: { RATE_LIMIT_REQUESTS: '6', RATE_LIMIT_WINDOW_SECONDS: '60' } } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const organizationsNamed = async (name: string) => (await stack.services.identity.sql('SELECT 1 FROM organizations WHERE name = $1', [name])).length;

  it('refuses a flooding user with RATE_LIMITED and when to retry, runs nothing, and still serves another user and anonymous callers', async () => {
    // Two anonymous requests from this address: the two registrations.
    const [flooder, bystander] = await Promise.all([registerPersona(stack, ['CLIENT'], 'Flooder'), registerPersona(stack, ['CLIENT'], 'Bystander')]);
    for (let i = 0; i < 6; i++) expect((await flooder.api.data<{ me: { id: string } }>(`{ me { id } }`)).me.id).toBe(flooder.id);

    const name = `Flood Ltd ${randomBytes(3).toString('hex')}`;
    const res = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${flooder.accessToken}` },
      body: JSON.stringify({ query: `mutation ($n: String!) { createOrganization(name: $n) { id } }`, variables: { n: name } }),
    });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    const body = (await res.json()) as GraphQLResponse;
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toEqual([
      { message: expect.stringMatching(/too many requests/i), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } },
    ]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await organizationsNamed(name)).toBe(0);

    // Same address, another user: their own budget.
    const other = await bystander.api.request(`mutation ($n: String!) { createOrganization(name: $n) { id } }`, { n: `${name} (bystander)` });
    expect(other.errors).toBeUndefined();
    expect(await organizationsNamed(`${name} (bystander)`)).toBe(1);

    // Anonymous callers are counted by address: 4 left of 6, then refused; the users are not affected by it.
    for (let i = 0; i < 4; i++) expect(await stack.api.data(`{ me { id } }`)).toEqual({ me: null });
    expect(errorCode(await stack.api.request(`{ me { id } }`))).toBe('RATE_LIMITED');
    expect((await bystander.api.data<{ me: { id: string } }>(`{ me { id } }`)).me.id).toBe(bystander.id);
  });
});
