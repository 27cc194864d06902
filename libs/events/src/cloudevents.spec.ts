import { randomUUID } from 'node:crypto';
import { createEvent, type EventDefinition, type EventEnvelope } from './envelope';
import { EVENT_CATALOG } from './catalog';
import { isPublicTopic, parseCloudEventMessage, toCloudEventMessage } from './cloudevents';
import { PublicInvoicePaid, PublicJobClosed, PublicJobPosted, PublicProposalDecided, PublicRewardGranted } from './public';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const at = '2026-11-30T06:00:00.000Z';
const money = (amount: string) => ({ amount, currency: 'USD' });

/** One valid envelope of every public event. */
const samples: Array<[EventDefinition, EventEnvelope]> = [
  [
    PublicJobPosted,
    createEvent(
      PublicJobPosted,
      {
        jobId: randomUUID(),
        title: 'Rust engineer',
        skills: ['rust'],
        countries: ['DE'],
        budget: { min: '50', max: '80.50', currency: 'USD', unit: 'HOURLY' },
        hoursPerWeek: 20,
        durationWeeks: 12,
        postedAt: at,
      },
      { traceparent },
    ),
  ],
  [PublicJobClosed, createEvent(PublicJobClosed, { jobId: randomUUID(), status: 'FILLED', closedAt: at })],
  [
    PublicInvoicePaid,
    createEvent(PublicInvoicePaid, {
      invoiceId: randomUUID(),
      jobId: null,
      contractId: randomUUID(),
      subtotal: money('100.00'),
      platformFee: money('10.00'),
      total: money('110.00'),
      totalUsd: null,
      paidAt: at,
    }),
  ],
  [PublicRewardGranted, createEvent(PublicRewardGranted, { grantId: randomUUID(), policy: 'talent.screened', amount: '25', grantedAt: at })],
  [
    PublicProposalDecided,
    createEvent(PublicProposalDecided, {
      proposalId: randomUUID(),
      kind: 'PARAMETER_CHANGE',
      title: 'Lower the fee',
      outcome: 'EXECUTED',
      parameterChanges: [{ key: 'platform.feeRate', value: '0.08' }],
      grantAmount: null,
      forVotes: '10',
      againstVotes: '2',
      abstainVotes: '0',
      quorum: '5',
      decidedAt: at,
    }),
  ],
];

/** The message as a consumer gets it from kafkajs: header values and value as Buffers. */
const asReceived = (message: { headers: Record<string, string>; value: string }) => ({
  headers: Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, Buffer.from(value)])),
  value: Buffer.from(message.value),
});

const jobPosted = samples[0]![1];
const withHeaders = (change: (headers: Record<string, string>) => void, value?: string) => {
  const message = toCloudEventMessage(jobPosted);
  change(message.headers);
  return asReceived({ headers: message.headers, value: value ?? message.value });
};

describe('isPublicTopic', () => {
  it('is true for the partner topics only', () => {
    expect(['public.jobs.v1', 'public.rewards.v1', 'public.governance.v1'].map(isPublicTopic)).toEqual([true, true, true]);
    expect(['jobs.events.v1', 'rewards.events.v1', 'governance.events.v1'].map(isPublicTopic)).toEqual([false, false, false]);
  });

  it('covers every event of the catalog published on a public topic, and nothing else', () => {
    const publicTypes = [...EVENT_CATALOG.values()]
      .filter((d) => isPublicTopic(d.topic))
      .map((d) => d.type)
      .sort();
    expect(publicTypes).toEqual(samples.map(([d]) => d.type).sort());
  });
});

describe('toCloudEventMessage', () => {
  it('maps the envelope to the binary-mode attributes and the payload alone as the value', () => {
    const message = toCloudEventMessage(jobPosted);
    expect(message.key).toBe(jobPosted.aggregateId);
    expect(JSON.parse(message.value)).toEqual(jobPosted.payload);
    expect(message.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: jobPosted.id,
      ce_source: '/talent-network/jobs',
      ce_type: 'job.posted',
      ce_time: jobPosted.occurredAt,
      ce_subject: jobPosted.aggregateId,
      ce_dataversion: '1',
      ce_traceparent: traceparent,
      traceparent,
      'content-type': 'application/json',
    });
  });

  it('sets no trace header when the envelope has none', () => {
    const headers = toCloudEventMessage(samples[1]![1]).headers;
    expect(headers).not.toHaveProperty('ce_traceparent');
    expect(headers).not.toHaveProperty('traceparent');
  });
});

describe('parseCloudEventMessage', () => {
  it.each(samples.map(([d, e]) => [d.type, e] as const))('gives back the envelope of %s', (_type, envelope) => {
    const parsed = parseCloudEventMessage(asReceived(toCloudEventMessage(envelope)));
    expect(parsed).toMatchObject({ ok: true, event: envelope });
    if (parsed.ok) expect(parsed.event).toEqual(envelope);
  });

  it('keeps the traceparent from the plain header when ce_traceparent is absent', () => {
    const parsed = parseCloudEventMessage(withHeaders((h) => delete h.ce_traceparent));
    expect(parsed.ok && parsed.event.traceparent).toBe(traceparent);
  });

  it.each(['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_subject', 'ce_dataversion'])('refuses a message without %s', (header) => {
    expect(parseCloudEventMessage(withHeaders((h) => delete h[header]))).toEqual({ ok: false, reason: `not a CloudEvent: missing header ${header}` });
  });

  it('refuses a plain JSON envelope (no ce headers)', () => {
    expect(parseCloudEventMessage({ headers: {}, value: JSON.stringify(jobPosted) })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('missing header ce_specversion'),
    });
  });

  it.each([
    ['another specversion', (h: Record<string, string>) => (h.ce_specversion = '0.3'), 'unsupported CloudEvents specversion 0.3'],
    [
      'a source outside the network',
      (h: Record<string, string>) => (h.ce_source = 'https://example.com/jobs'),
      'ce_source https://example.com/jobs is not under /talent-network/',
    ],
    [
      'a non-JSON content type',
      (h: Record<string, string>) => (h['content-type'] = 'text/plain'),
      'unsupported content-type text/plain: expected application/json',
    ],
    ['a time that is no time', (h: Record<string, string>) => (h.ce_time = 'yesterday'), 'invalid CloudEvent: Invalid time value'],
    ['an id that is no uuid', (h: Record<string, string>) => (h.ce_id = 'abc'), 'invalid envelope'],
    ['an unknown type', (h: Record<string, string>) => (h.ce_type = 'job.deleted'), 'unknown event type job.deleted'],
  ])('refuses %s with a reason', (_case, change, reason) => {
    const parsed = parseCloudEventMessage(withHeaders(change));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it.each([
    ['2', 'unsupported version 2 of job.posted'],
    ['one', 'invalid ce_dataversion one'],
    ['0', 'invalid ce_dataversion 0'],
  ])('refuses ce_dataversion %s', (dataversion, reason) => {
    expect(parseCloudEventMessage(withHeaders((h) => (h.ce_dataversion = dataversion)))).toMatchObject({ ok: false, reason });
  });

  it('refuses a payload that breaks its schema, and a value that is not JSON', () => {
    const { jobId: _dropped, ...withoutJobId } = jobPosted.payload as Record<string, unknown>;
    const broken = parseCloudEventMessage(withHeaders(() => undefined, JSON.stringify(withoutJobId)));
    expect(broken).toMatchObject({ ok: false, reason: expect.stringContaining('invalid job.posted payload') });
    expect(broken.ok === false && broken.envelope?.id).toBe(jobPosted.id);
    expect(parseCloudEventMessage(withHeaders(() => undefined, '{not json'))).toEqual({ ok: false, reason: 'invalid CloudEvent: message value is not JSON' });
    expect(parseCloudEventMessage({ headers: toCloudEventMessage(jobPosted).headers, value: null })).toEqual({ ok: false, reason: 'empty message value' });
  });

  it('validates against the catalog it is given', () => {
    expect(parseCloudEventMessage(asReceived(toCloudEventMessage(jobPosted)), new Map())).toMatchObject({ ok: false, reason: 'unknown event type job.posted' });
  });
});
