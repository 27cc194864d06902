import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { approveAndSettle, makeMember, registerPersona, signInAdmin, startStack, waitFor, type Persona, type Stack } from '@talent/testing';

/*
 * One hire -> invoice -> reward saga traced end to end with OpenTelemetry: every service and the
 * gateway export to an in-process OTLP/HTTP (JSON) receiver, a frontend sends one traceparent on
 * the hire, submitInvoice and approveInvoice requests, and the spans received show every hop
 * (gateway, subgraphs, outbox relay, Kafka consumers, the payment provider's BullMQ job and its
 * webhook) as a span of its own, each the child of the hop before it, under that one trace id.
 */
jest.setTimeout(240_000);

const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const REFER = `mutation ($job: ID!, $talent: ID!) { referTalentToJob(jobId: $job, talentId: $talent, note: "Shipped two payment APIs") { id } }`;
const APPLY = `mutation ($job: ID!) { applyToJob(jobId: $job, coverLetter: "Ready to start", proposedRate: { amount: "80", currency: "USD" }) { id } }`;
const HIRE = `mutation ($id: ID!) { hire(applicationId: $id) { id } }`;
const SUBMIT = `mutation ($c: ID!) { submitInvoice(input: { contractId: $c, description: "Week 1", hours: 10 }) { id } }`;
const BALANCE = `{ me { wallet { balance } } }`;

const SpanKind = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, string>;
}

/** OTLP/JSON ids are hex (the JS exporter's encoding); base64 is accepted too, as the protobuf JSON mapping has it. */
const hexId = (id: string | undefined): string => (!id ? '' : /^[\da-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex'));

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
const attributesOf = (list: Array<{ key: string; value: OtlpValue }> = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, String(value.stringValue ?? value.intValue ?? value.boolValue ?? '')]));

/** An OTLP/HTTP collector in the test process: POST /v1/traces (JSON), every span kept. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; requests: () => number; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      let raw = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      const body = JSON.parse(raw.toString('utf8'));
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = attributesOf(resourceSpans.resource?.attributes)['service.name'];
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              service,
              traceId: hexId(span.traceId),
              spanId: hexId(span.spanId),
              parentSpanId: hexId(span.parentSpanId),
              name: span.name,
              kind: span.kind,
              attributes: attributesOf(span.attributes),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('one trace across every hop of a hire -> invoice -> reward saga', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let stack: Stack;
  let client: Persona;
  let talent: Persona;
  let connector: Persona;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // Tracing is on only where an endpoint is set: every service and the gateway, flushing every 200 ms.
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' };
    const services = ['jobs', 'referrals', 'rewards', 'payments'];
    stack = await startStack({ services, env: Object.fromEntries(['identity', ...services, 'gateway'].map((name) => [name, otel])) });
    const admin = await signInAdmin(stack);
    [client, talent, connector] = await Promise.all([
      registerPersona(stack, ['CLIENT'], 'Cleo Client'),
      registerPersona(stack, ['TALENT'], 'Theo Talent'),
      registerPersona(stack, ['CONNECTOR'], 'Carla Connector'),
    ]);
    await Promise.all([client, talent, connector].map((p) => makeMember(stack, p, admin)));
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  it('shows each hop as its own span, child of the previous one, under the trace id the frontend sent', async () => {
    // Set up (outside the traced requests): a job, the connector's referral of the talent to it, the application.
    const job = (
      await waitFor(
        async () =>
          (
            await client.api.request<{ postJob: { id: string } }>(POST_JOB, {
              input: {
                title: 'Payments API',
                description: 'Build and run a payments API with NestJS and PostgreSQL.',
                skills: ['typescript'],
                minYearsExperience: 1,
                countries: [],
                budget: { min: { amount: '60', currency: 'USD' }, max: { amount: '90', currency: 'USD' }, unit: 'HOURLY' },
                hoursPerWeek: 30,
                durationWeeks: 12,
              },
            })
          ).data,
        30_000,
        { message: 'jobs knows the client as a member' },
      )
    ).postJob.id;
    await waitFor(async () => (await connector.api.request(REFER, { job, talent: talent.id })).data, 30_000, {
      message: 'referrals knows the job and the members',
    });
    const application = (
      await waitFor(async () => (await talent.api.request<{ applyToJob: { id: string } }>(APPLY, { job })).data, 30_000, { message: 'jobs knows the talent' })
    ).applyToJob.id;

    // The saga, under one traceparent the frontend chose.
    const traceId = randomBytes(16).toString('hex');
    const frontendSpanId = randomBytes(8).toString('hex');
    const traced = { traceparent: `00-${traceId}-${frontendSpanId}-01` };
    const contract = (await client.api.withHeaders(traced).data<{ hire: { id: string } }>(HIRE, { id: application })).hire.id;
    const invoice = (
      await waitFor(async () => (await talent.api.withHeaders(traced).request<{ submitInvoice: { id: string } }>(SUBMIT, { c: contract })).data, 30_000, {
        message: 'payments knows the contract',
      })
    ).submitInvoice.id;
    expect(await approveAndSettle(client.api.withHeaders(traced), invoice, 'traced-week-1')).toBe('PAID');
    // The connector is paid on the paid invoice (connector.referral): the saga's last step.
    await waitFor(async () => Number((await connector.api.data<{ me: { wallet: { balance: string } } }>(BALANCE)).me.wallet.balance) > 0, 30_000, {
      message: 'connector rewarded on the paid invoice',
    });

    const inTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
    const producer = (service: string, type: string) =>
      inTrace().find((s) => s.service === service && s.kind === SpanKind.PRODUCER && s.attributes['cloudevents.event_type'] === type);
    await waitFor(() => Boolean(producer('rewards', 'RewardGranted')), 30_000, { message: 'the RewardGranted PRODUCER span is exported' });
    // A parent span is exported after its children: wait until the trace stops growing (its last consumers are done).
    let seen = -1;
    await waitFor(
      async () => {
        const now = inTrace().length;
        const settled = now === seen;
        seen = now;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return settled;
      },
      30_000,
      { message: 'the trace stops growing' },
    );
    const spans = inTrace();
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    /** The span's ancestors within the trace, nearest first (a hop's own inner spans: routes, resolvers, queries). */
    const ancestors = (span: ReceivedSpan): ReceivedSpan[] => {
      const chain: ReceivedSpan[] = [];
      for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) chain.push(parent);
      return chain;
    };
    const descendsFrom = (span: ReceivedSpan, ancestor: ReceivedSpan) => ancestors(span).includes(ancestor);

    // Every service of the saga took part, and no two spans share an id (no hop reuses its caller's).
    for (const service of ['gateway', 'jobs', 'payments', 'referrals', 'rewards']) expect(spans.map((s) => s.service)).toContain(service);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
    expect(spans.map((s) => s.spanId)).not.toContain(frontendSpanId);
    // One tree: every span of the trace hangs off another span of it, up to the frontend's.
    for (const span of spans) {
      const root = ancestors(span).at(-1) ?? span;
      expect({ span: `${span.service} ${span.name}`, rootParent: root.parentSpanId }).toEqual({
        span: `${span.service} ${span.name}`,
        rootParent: frontendSpanId,
      });
    }

    // hire: gateway SERVER -> gateway CLIENT -> jobs SERVER -> ... -> PRODUCER ContractStarted -> CONSUMER in payments and referrals;
    // referrals qualifies the referral: -> PRODUCER ReferralQualified -> rewards CONSUMER (what the connector reward is paid on).
    const contractStarted = producer('jobs', 'ContractStarted');
    expect(contractStarted).toBeDefined();
    const jobsServer = ancestors(contractStarted!).find((s) => s.service === 'jobs' && s.kind === SpanKind.SERVER);
    expect(jobsServer).toBeDefined();
    const gatewayClient = byId.get(jobsServer!.parentSpanId);
    expect(gatewayClient).toMatchObject({ service: 'gateway', kind: SpanKind.CLIENT });
    expect(ancestors(gatewayClient!).find((s) => s.kind === SpanKind.SERVER)).toMatchObject({ service: 'gateway', parentSpanId: frontendSpanId });
    expect(contractStarted!.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': stack.topic('jobs.events.v1') });
    expect(contractStarted!.attributes['messaging.message.id']).toMatch(/^[\da-f-]{36}$/);
    const contractStartedConsumers = spans.filter((s) => s.kind === SpanKind.CONSUMER && s.name === 'process ContractStarted');
    expect(contractStartedConsumers.map((s) => s.service)).toEqual(expect.arrayContaining(['payments', 'referrals']));
    for (const consumer of contractStartedConsumers) {
      expect(consumer.parentSpanId).toBe(contractStarted!.spanId);
      expect(consumer.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.message.id': contractStarted!.attributes['messaging.message.id'] });
    }
    const referralQualified = producer('referrals', 'ReferralQualified');
    expect(referralQualified).toBeDefined();
    expect(
      descendsFrom(
        referralQualified!,
        contractStartedConsumers.find((s) => s.service === 'referrals')!,
      ),
    ).toBe(true);
    const qualifiedInRewards = spans.find((s) => s.service === 'rewards' && s.kind === SpanKind.CONSUMER && s.name === 'process ReferralQualified');
    expect(qualifiedInRewards?.parentSpanId).toBe(referralQualified!.spanId);

    // approveInvoice: payments SERVER -> BullMQ settle job -> its webhook POST (CLIENT) -> payments' webhook SERVER
    // -> PRODUCER InvoicePaid -> rewards CONSUMER process InvoicePaid -> PRODUCER RewardGranted.
    const settleJob = spans.find((s) => s.service === 'payments' && s.kind === SpanKind.CONSUMER && s.attributes['messaging.system'] === 'bullmq');
    expect(settleJob).toBeDefined();
    const approveServer = ancestors(settleJob!).find((s) => s.kind === SpanKind.SERVER);
    expect(approveServer).toMatchObject({ service: 'payments' });
    expect(byId.get(approveServer!.parentSpanId)).toMatchObject({ service: 'gateway', kind: SpanKind.CLIENT });
    const invoicePaid = producer('payments', 'InvoicePaid');
    expect(invoicePaid).toBeDefined();
    const webhookServer = ancestors(invoicePaid!).find((s) => s.kind === SpanKind.SERVER);
    expect(webhookServer).toMatchObject({ service: 'payments' });
    const webhookClient = byId.get(webhookServer!.parentSpanId);
    expect(webhookClient).toMatchObject({ service: 'payments', kind: SpanKind.CLIENT });
    expect(descendsFrom(webhookClient!, settleJob!)).toBe(true);
    const invoicePaidInRewards = spans.find((s) => s.service === 'rewards' && s.kind === SpanKind.CONSUMER && s.name === 'process InvoicePaid');
    expect(invoicePaidInRewards?.parentSpanId).toBe(invoicePaid!.spanId);
    const rewardGranted = producer('rewards', 'RewardGranted')!;
    expect(descendsFrom(rewardGranted, invoicePaidInRewards!)).toBe(true);
    expect(settleJob!.name).toBe('process local-provider.settle');
    expect(rewardGranted.name).toBe(`publish ${stack.topic('rewards.events.v1')}`);
  });
});

describe('with tracing switched off (OTEL_SDK_DISABLED=true, an endpoint set all the same)', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let stack: Stack;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const off = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_SDK_DISABLED: 'true' };
    stack = await startStack({ services: [], env: { identity: off, gateway: off } });
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  it("exports nothing, and the frontend's traceparent still reaches the event envelope as before", async () => {
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    const user = await registerPersona({ ...stack, api: stack.api.withHeaders({ traceparent }) }, ['TALENT'], 'Olga Offline');
    const envelope = await waitFor(
      async () =>
        (await stack.services.identity.sql(`SELECT envelope FROM outbox WHERE type = 'UserRegistered' AND envelope->'payload'->>'userId' = $1`, [user.id]))[0]
          ?.envelope,
      30_000,
      { message: 'UserRegistered written to the outbox' },
    );
    expect(envelope.traceparent).toBe(traceparent);
    // Well past the batch delay: had any span been recorded, it would have been sent by now.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.requests()).toBe(0);
  });
});
