import { z } from 'zod';
import { createEvent, defineEvent, EnvelopeSchema } from './envelope';
import { EVENT_CATALOG, parseEvent } from './catalog';
import * as identity from './identity';
import { Topics } from './topics';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const userId = '7d1f8a52-1c0e-4d8b-9a57-3e2b7f0c9d11';

const validPayload = () => ({
  userId,
  roles: ['TALENT' as const],
  referralCode: null,
  registeredAt: '2025-01-02T03:04:05.000Z',
});

const validMessage = (overrides: Record<string, unknown> = {}) => JSON.stringify({ ...createEvent(identity.UserRegistered, validPayload()), ...overrides });

describe('createEvent', () => {
  it('builds a valid envelope from the definition and payload', () => {
    const before = Date.now();
    const event = createEvent(identity.UserRegistered, validPayload());

    expect(event.id).toMatch(UUID);
    expect(new Date(event.occurredAt).toISOString()).toBe(event.occurredAt);
    expect(new Date(event.occurredAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(event).toMatchObject({
      type: 'UserRegistered',
      version: 1,
      source: 'identity',
      aggregateId: userId,
      payload: validPayload(),
    });
    expect(event).not.toHaveProperty('traceparent');
    expect(EnvelopeSchema.safeParse(event).success).toBe(true);
  });

  it('gives every event its own id and keeps a given traceparent', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const a = createEvent(identity.UserRegistered, validPayload(), { traceparent });
    const b = createEvent(identity.UserRegistered, validPayload());
    expect(a.id).not.toBe(b.id);
    expect(a.traceparent).toBe(traceparent);
  });

  it('refuses a payload that does not match the schema', () => {
    const bad = { ...validPayload(), roles: [] } as unknown as z.infer<typeof identity.UserRegistered.schema>;
    expect(() => createEvent(identity.UserRegistered, bad)).toThrow(z.ZodError);
    const notUuid = { ...validPayload(), userId: 'user-1' };
    expect(() => createEvent(identity.UserRegistered, notUuid)).toThrow(/userId/);
  });
});

describe('parseEvent', () => {
  it('accepts a valid message (string or Buffer) and returns the event and its definition', () => {
    const raw = validMessage();
    for (const input of [raw, Buffer.from(raw)]) {
      const result = parseEvent(input);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.event).toEqual(JSON.parse(raw));
      expect(result.definition).toBe(identity.UserRegistered);
    }
  });

  const rejected: Array<[string, Buffer | string | null | undefined, RegExp]> = [
    ['an empty value', null, /empty/],
    ['a value that is not JSON', '{"id": "abc"', /not JSON/],
    ['a JSON value that is not an envelope', JSON.stringify({ hello: 'world' }), /invalid envelope/],
    ['an envelope with a malformed id', validMessage({ id: 'not-a-uuid' }), /invalid envelope.*id/s],
    ['an unknown event type', validMessage({ type: 'UserTeleported' }), /unknown event type UserTeleported/],
    ['an unsupported version', validMessage({ version: 2 }), /unsupported version 2 of UserRegistered/],
    ['a payload that does not match the schema', validMessage({ payload: { ...validPayload(), roles: ['EMPEROR'] } }), /invalid UserRegistered payload/],
  ];

  it.each(rejected)('returns a reason, without throwing, for %s', (_, raw, reason) => {
    let result: ReturnType<typeof parseEvent> | undefined;
    expect(() => (result = parseEvent(raw))).not.toThrow();
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('keeps the envelope of a message whose type, version or payload is wrong (for the dead-letter record)', () => {
    const result = parseEvent(validMessage({ version: 9 }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.envelope).toMatchObject({ type: 'UserRegistered', version: 9 });
  });

  it('validates against a catalog given by the caller', () => {
    const Pinged = defineEvent({
      type: 'Pinged',
      version: 1,
      topic: 'test.pings',
      source: 'test',
      schema: z.object({ id: z.string() }),
      aggregateIdOf: (p) => p.id,
    });
    const raw = JSON.stringify(createEvent(Pinged, { id: 'p1' }));
    expect(parseEvent(raw)).toMatchObject({ ok: false, reason: 'unknown event type Pinged' });
    expect(parseEvent(raw, new Map([[Pinged.type, Pinged]]))).toMatchObject({ ok: true, event: { payload: { id: 'p1' } } });
  });
});

describe('identity events', () => {
  const definitions = Object.values(identity);
  const PII_FIELDS = ['email', 'documentNumber', 'dateOfBirth', 'legalName'];

  it('are all in the catalog, on the identity topic', () => {
    expect(definitions.length).toBeGreaterThan(0);
    for (const definition of definitions) {
      expect(EVENT_CATALOG.get(definition.type)).toBe(definition);
      expect(definition.topic).toBe(Topics.identity);
    }
  });

  it.each(definitions.map((d) => [d.type, d] as const))('%s carries no email, document number, date of birth or legal name', (_, definition) => {
    expect(definition.schema).toBeInstanceOf(z.ZodObject);
    const keys = Object.keys((definition.schema as z.ZodObject).shape);
    expect(keys.length).toBeGreaterThan(0);
    for (const field of PII_FIELDS) {
      expect(keys.map((k) => k.toLowerCase())).not.toContain(field.toLowerCase());
    }
  });
});
