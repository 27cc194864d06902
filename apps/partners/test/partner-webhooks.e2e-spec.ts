import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Kafka, logLevel } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { toCloudEventMessage, Topics } from '@talent/events';
import {
  createInspector,
  errorCode,
  makeMember,
  registerPersona,
  screenApproved,
  signInAdmin,
  startStack,
  startWebhookReceiver,
  waitFor,
  type Persona,
  type Stack,
  type WebhookReceiver,
} from '@talent/testing';

/** Deliveries whose body has this type, parsed. */
const ofType = (receiver: WebhookReceiver, type: string) =>
  receiver.received
    .map((r) => ({ ...r, json: JSON.parse(r.body) as { type: string; timestamp: string; data: Record<string, unknown> } }))
    .filter((r) => r.json.type === type);

/** What a partner does with every delivery: verify it with its secret (throws when it does not verify). */
const verify = (secret: string, delivery: { headers: IncomingHttpHeaders; body: string }) =>
  new Webhook(secret).verify(delivery.body, {
    'webhook-id': String(delivery.headers['webhook-id']),
    'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
    'webhook-signature': String(delivery.headers['webhook-signature']),
  });

const REGISTER = `mutation ($input: RegisterPartnerNodeInput!) {
  registerPartnerNode(input: $input) { signingSecret node { id name webhookUrl eventTypes createdAt status } } }`;
const DELIVERIES = `query ($id: ID!, $status: PartnerDeliveryStatus) {
  partnerDeliveries(nodeId: $id, status: $status) { id eventId eventType status attempts lastError lastStatusCode replay deliveredAt } }`;
const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const jobInput = (title: string) => ({
  title,
  description: 'Confidential: the client is Acme Widgets, contact greta@acme.example.',
  skills: ['TypeScript', 'Kafka'],
  minYearsExperience: 2,
  countries: [],
  budget: { min: { amount: '50', currency: 'USD' }, max: { amount: '80', currency: 'USD' }, unit: 'HOURLY' },
  hoursPerWeek: 20,
  durationWeeks: 8,
});

describe('partner nodes: signed webhooks, retries, dead letters and replays (through the gateway)', () => {
  let stack: Stack;
  let admin: Persona;
  let inspector: Persona;
  let client: Persona;
  let talent: Persona;
  let good: WebhookReceiver;
  let flaky: WebhookReceiver;
  let goodNode: { id: string; secret: string };
  let flakyNode: { id: string; secret: string };
  const startedAt = new Date();

  const postJob = async (title: string): Promise<string> =>
    (
      await waitFor(
        async () => {
          const res = await client.api.request<{ postJob: { id: string } }>(POST_JOB, { input: jobInput(title) });
          return res.data?.postJob ?? (errorCode(res) === 'PRECONDITION_FAILED' ? undefined : Promise.reject(new Error(JSON.stringify(res.errors))));
        },
        20_000,
        { message: 'client became a member in jobs' },
      )
    ).id;

  beforeAll(async () => {
    [good, flaky] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
    stack = await startStack({
      services: ['jobs', 'rewards', 'partners'],
      env: { partners: { PARTNER_DELIVERY_MAX_ATTEMPTS: '3', PARTNER_DELIVERY_BACKOFF_MS: '200', PARTNER_SECRET_ROTATION_GRACE_HOURS: '1' } },
    });
    admin = await signInAdmin(stack);
    inspector = await createInspector(stack, admin);
    await makeMember(stack, inspector, admin);
    client = await registerPersona(stack, ['CLIENT'], 'Greta Privateperson');
    talent = await registerPersona(stack, ['TALENT'], 'Ada Privateperson');
    for (const p of [client, talent]) await makeMember(stack, p, inspector);
  });

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([good?.stop(), flaky?.stop()]);
  });

  it('only an ADMIN registers a node; bad input is refused with BAD_USER_INPUT and creates nothing', async () => {
    const input = { name: 'Acme job board', webhookUrl: good.url, eventTypes: ['job.posted', 'reward.granted'] };
    expect(errorCode(await stack.api.request(REGISTER, { input }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await client.api.request(REGISTER, { input }))).toBe('FORBIDDEN');
    expect(errorCode(await client.api.request(`{ partnerNodes { id } }`))).toBe('FORBIDDEN');
    for (const bad of [
      { ...input, webhookUrl: 'ftp://partner.example/hook' },
      { ...input, webhookUrl: 'https://user:pass@partner.example/hook' },
      { ...input, webhookUrl: 'not a url' },
      { ...input, eventTypes: [] },
      { ...input, eventTypes: ['user.registered'] },
      { ...input, eventTypes: ['kyc.approved', 'job.posted'] },
      { ...input, name: ' ' },
    ]) {
      const res = await admin.api.request(REGISTER, { input: bad });
      expect({ bad, code: errorCode(res) }).toEqual({ bad, code: 'BAD_USER_INPUT' });
    }
    expect((await admin.api.data<{ partnerNodes: unknown[] }>(`{ partnerNodes { id } }`)).partnerNodes).toEqual([]);
  });

  it('registers a node: the secret is shown once, in the Standard Webhooks form, and never listed again', async () => {
    const { registerPartnerNode: registered } = await admin.api.data<{
      registerPartnerNode: { signingSecret: string; node: { id: string; eventTypes: string[]; status: string } };
    }>(REGISTER, {
      input: { name: 'Acme job board', webhookUrl: good.url, eventTypes: ['reward.granted', 'job.posted', 'job.posted'] },
    });
    expect(registered.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(registered.node).toMatchObject({ eventTypes: ['job.posted', 'reward.granted'], status: 'ACTIVE' });
    goodNode = { id: registered.node.id, secret: registered.signingSecret };

    const again = await admin.api.request(REGISTER, { input: { name: 'ACME JOB BOARD', webhookUrl: good.url, eventTypes: ['job.posted'] } });
    expect(errorCode(again)).toBe('CONFLICT');

    const { registerPartnerNode: second } = await admin.api.data<{ registerPartnerNode: { signingSecret: string; node: { id: string } } }>(REGISTER, {
      input: { name: 'Flaky aggregator', webhookUrl: flaky.url, eventTypes: ['job.posted'] },
    });
    flakyNode = { id: second.node.id, secret: second.signingSecret };

    const listed = await admin.api.data<{ partnerNodes: Array<Record<string, unknown>> }>(`{ partnerNodes { id name webhookUrl eventTypes status } }`);
    expect(listed.partnerNodes.map((n) => n.name)).toEqual(['Flaky aggregator', 'Acme job board']);
    // The secret is not in the stored row either: encrypted at rest.
    const rows = await stack.services.partners.sql<{ signing_secret: string }>(`SELECT signing_secret FROM partner_nodes`);
    for (const row of rows) expect(row.signing_secret).not.toContain(goodNode.secret.slice(6, 20));
  });

  it('delivers job.posted and reward.granted as signed webhooks that verify with the secret', async () => {
    flaky.answer = 200;
    const jobId = await postJob('Kafka engineer for partner feeds');
    await screenApproved(inspector, talent);

    const posted = await waitFor(() => ofType(good, 'job.posted').find((d) => d.json.data.jobId === jobId), 20_000, { message: 'job.posted delivered' });
    const granted = await waitFor(() => ofType(good, 'reward.granted')[0], 20_000, { message: 'reward.granted delivered' });
    for (const delivery of [posted, granted]) {
      expect(() => verify(goodNode.secret, delivery)).not.toThrow();
      expect(() => verify(flakyNode.secret, delivery)).toThrow();
      expect(delivery.headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(delivery.headers['content-type']).toBe('application/json');
    }
    expect(posted.json.data).toMatchObject({ jobId, title: 'Kafka engineer for partner feeds', skills: ['typescript', 'kafka'] });
    expect(granted.json.data).toMatchObject({ policy: 'talent.screened' });
    // A body changed on the way does not verify.
    expect(() => verify(goodNode.secret, { ...posted, body: posted.body.replace('Kafka', 'Kafkb') })).toThrow();

    const deliveries = await admin.api.data<{ partnerDeliveries: Array<{ eventType: string; status: string; attempts: number }> }>(DELIVERIES, {
      id: goodNode.id,
    });
    expect(deliveries.partnerDeliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventType: 'job.posted', status: 'DELIVERED', attempts: 1 }),
        expect.objectContaining({ eventType: 'reward.granted', status: 'DELIVERED', attempts: 1 }),
      ]),
    );
  });

  it('a failing receiver gets retries, then a dead letter with the last error; a replay then delivers it', async () => {
    flaky.answer = 503;
    const before = flaky.received.length;
    const jobId = await postJob('Data engineer, event streams');
    const dead = await waitFor(
      async () => {
        const { partnerDeliveries } = await admin.api.data<{
          partnerDeliveries: Array<{ eventId: string; status: string; attempts: number; lastError: string; lastStatusCode: number }>;
        }>(DELIVERIES, { id: flakyNode.id, status: 'DEAD' });
        return partnerDeliveries[0];
      },
      30_000,
      { message: 'delivery dead-lettered' },
    );
    expect(dead).toMatchObject({ attempts: 3, lastError: 'HTTP 503', lastStatusCode: 503 });
    const attempts = flaky.received.slice(before).filter((d) => JSON.parse(d.body).data.jobId === jobId);
    expect(attempts).toHaveLength(3);
    // Every attempt of one delivery carries the same webhook-id (the event id), freshly signed.
    expect(new Set(attempts.map((a) => a.headers['webhook-id']))).toEqual(new Set([dead.eventId]));
    for (const a of attempts) expect(() => verify(flakyNode.secret, a)).not.toThrow();

    flaky.answer = 200;
    const { replayPartnerEvents } = await admin.api.data<{ replayPartnerEvents: { scheduled: number; continueFrom: string | null } }>(
      `mutation ($id: ID!, $since: DateTime!) { replayPartnerEvents(nodeId: $id, since: $since) { scheduled continueFrom } }`,
      { id: flakyNode.id, since: startedAt.toISOString() },
    );
    // Both jobs posted since the start (the flaky node chose job.posted only).
    expect(replayPartnerEvents).toEqual({ scheduled: 2, continueFrom: null });
    const replayed = await waitFor(
      async () => {
        const { partnerDeliveries } = await admin.api.data<{ partnerDeliveries: Array<{ eventId: string; status: string; replay: boolean }> }>(DELIVERIES, {
          id: flakyNode.id,
        });
        const replays = partnerDeliveries.filter((d) => d.replay);
        return replays.length === 2 && replays.every((d) => d.status === 'DELIVERED') ? replays : undefined;
      },
      20_000,
      { message: 'replay delivered' },
    );
    expect(replayed.map((d) => d.eventId)).toContain(dead.eventId);
    const last = flaky.received.at(-1)!;
    expect(() => verify(flakyNode.secret, last)).not.toThrow();

    const future = await admin.api.request(`mutation ($id: ID!) { replayPartnerEvents(nodeId: $id, since: "2999-01-01T00:00:00Z") { scheduled } }`, {
      id: flakyNode.id,
    });
    expect(errorCode(future)).toBe('BAD_USER_INPUT');
    expect(
      errorCode(
        await client.api.request(`mutation ($id: ID!) { replayPartnerEvents(nodeId: $id, since: "2020-01-01T00:00:00Z") { scheduled } }`, { id: flakyNode.id }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('a rotated secret signs beside the old one for the grace period; a disabled node receives nothing more', async () => {
    const { rotatePartnerNodeSecret } = await admin.api.data<{ rotatePartnerNodeSecret: { signingSecret: string } }>(
      `mutation ($id: ID!) { rotatePartnerNodeSecret(nodeId: $id) { signingSecret node { id } } }`,
      { id: goodNode.id },
    );
    expect(rotatePartnerNodeSecret.signingSecret).not.toBe(goodNode.secret);
    const jobId = await postJob('Platform engineer, webhooks');
    const delivery = await waitFor(() => ofType(good, 'job.posted').find((d) => d.json.data.jobId === jobId), 20_000, { message: 'delivered after rotation' });
    expect(() => verify(rotatePartnerNodeSecret.signingSecret, delivery)).not.toThrow();
    expect(() => verify(goodNode.secret, delivery)).not.toThrow();

    await admin.api.data(`mutation ($id: ID!) { disablePartnerNode(nodeId: $id) { status } }`, { id: goodNode.id });
    const unseen = await postJob('Should not reach a disabled node');
    // The active node gets it; the disabled one was never given a delivery for it (same fan-out).
    await waitFor(() => flaky.received.some((d) => JSON.parse(d.body).data.jobId === unseen), 20_000, { message: 'active node delivered' });
    expect(ofType(good, 'job.posted').some((d) => d.json.data.jobId === unseen)).toBe(false);
  });

  it('an event forged onto a public topic leaks nothing: extra fields are dropped, a wrong source is dead-lettered', async () => {
    // What a compromised or buggy producer could write: a job.posted carrying a client's e-mail and id,
    // and one claiming to come from another service than the topic's producer.
    const kafka = new Kafka({ clientId: 'forger', brokers: String(process.env.KAFKA_BROKERS).split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const forged = (jobId: string, source: string, extra: Record<string, unknown>) =>
      toCloudEventMessage({
        id: randomUUID(),
        type: 'job.posted',
        version: 1,
        source,
        occurredAt: new Date().toISOString(),
        aggregateId: jobId,
        payload: {
          jobId,
          title: 'Forged job',
          skills: ['typescript'],
          countries: [],
          budget: { min: '1', max: '2', currency: 'USD', unit: 'HOURLY' },
          hoursPerWeek: 10,
          durationWeeks: 1,
          postedAt: new Date().toISOString(),
          ...extra,
        },
      });
    const [leaky, wrongSource] = [randomUUID(), randomUUID()];
    try {
      // One key, so one partition, in this order: once the second is delivered, the first was handled.
      for (const message of [forged(wrongSource, 'rewards', {}), forged(leaky, 'jobs', { clientEmail: client.email, clientId: client.id })]) {
        await producer.send({ topic: stack.topic(Topics.publicJobs), messages: [{ ...message, key: 'forged' }] });
      }
    } finally {
      await producer.disconnect();
    }
    const delivered = await waitFor(() => flaky.received.find((d) => JSON.parse(d.body).data.jobId === leaky), 20_000, { message: 'forged job delivered' });
    expect(JSON.parse(delivered.body).data).not.toHaveProperty('clientEmail');
    expect(delivered.body).not.toContain(client.email);
    expect(delivered.body).not.toContain(client.id);
    // The wrong-source one never becomes an event partners keep or deliver.
    const kept = await stack.services.partners.sql(`SELECT id FROM public_events WHERE aggregate_id = $1`, [wrongSource]);
    expect(kept).toEqual([]);
    expect(flaky.received.some((d) => JSON.parse(d.body).data.jobId === wrongSource)).toBe(false);
  });

  it('deliveries carry no personal data: no user ids, emails, names or job descriptions', async () => {
    const bodies = [...good.received, ...flaky.received].map((d) => d.body);
    expect(bodies.length).toBeGreaterThanOrEqual(6);
    const forbidden = [
      client.id,
      talent.id,
      inspector.id,
      admin.id,
      client.email,
      talent.email,
      inspector.email,
      'Privateperson',
      'Acme Widgets',
      'greta@acme.example',
      'Test Person',
    ];
    for (const body of bodies) {
      for (const value of forbidden) expect({ body, contains: body.includes(value) }).toEqual({ body, contains: false });
      expect(body).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
      expect(Object.keys(JSON.parse(body))).toEqual(['type', 'timestamp', 'data']);
    }
  });
});
