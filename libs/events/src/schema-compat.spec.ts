import { z } from 'zod';
import { defineEvent } from './envelope';
import { breakingChanges, publicJsonSchema } from './schema-compat';
import { PublicJobPosted } from './public';

/** The published JSON Schema of a payload schema, as tools/asyncapi freezes it. */
const published = (schema: z.ZodType) =>
  publicJsonSchema(defineEvent({ type: 'test.event', version: 1, topic: 'public.test.v1', source: 'test', schema, aggregateIdOf: () => 'x' }));

/** The payload as first published (a fresh copy each time, so a test may change it). */
const baseShape = (): Record<string, z.ZodType> => ({
  id: z.uuid(),
  status: z.enum(['OPEN', 'CLOSED']),
  amount: z.string().regex(/^\d+$/),
  hours: z.number().int().positive(),
  note: z.string().optional(),
  tags: z.array(z.string()),
  at: z.iso.datetime({ offset: true }),
  budget: z.object({ min: z.string(), max: z.string() }),
  parent: z.uuid().nullable(),
});

const frozen = published(z.object(baseShape()));

/** The frozen shape with some fields replaced (undefined removes one). */
const changed = (fields: Record<string, z.ZodType | undefined>) => {
  const shape = baseShape();
  for (const [name, schema] of Object.entries(fields)) {
    if (schema) shape[name] = schema;
    else delete shape[name];
  }
  return published(z.object(shape));
};

describe('publicJsonSchema', () => {
  it('is draft-07 JSON Schema of the payload, open to properties added later', () => {
    const schema = publicJsonSchema(PublicJobPosted);
    expect(schema).not.toHaveProperty('$schema');
    expect(schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['jobId', 'title', 'budget']) });
    expect(JSON.stringify(schema)).not.toContain('additionalProperties');
    expect((schema.properties as Record<string, unknown>).budget).toMatchObject({ properties: { unit: { enum: ['HOURLY', 'FIXED'] } } });
  });
});

describe('breakingChanges', () => {
  it('finds nothing when the schema is unchanged', () => {
    expect(breakingChanges(frozen, changed({}))).toEqual([]);
  });

  it('allows a new optional property, at the top or nested, and new descriptions', () => {
    expect(
      breakingChanges(frozen, changed({ extra: z.string().optional(), budget: z.object({ min: z.string(), max: z.string(), unit: z.string().optional() }) })),
    ).toEqual([]);
    expect(breakingChanges(frozen, changed({ amount: z.string().regex(/^\d+$/).describe('in BTRST') }))).toEqual([]);
  });

  it.each<[string, Record<string, z.ZodType | undefined>, string]>([
    ['a property removed', { amount: undefined }, '$.amount: property removed'],
    ['a nested property removed', { budget: z.object({ min: z.string() }) }, '$.budget.max: property removed'],
    ['a required property made optional', { hours: z.number().int().positive().optional() }, '$.hours: required property made optional'],
    ['an optional property made required', { note: z.string() }, '$.note: optional property made required'],
    ['a required property added', { extra: z.string() }, '$.extra: required property added (only optional ones may be)'],
    ['a type changed', { hours: z.string() }, '$.hours: type changed from "integer" to "string"'],
    ['a type widened', { hours: z.number().positive() }, '$.hours: type changed from "integer" to "number"'],
    ['an enum value added', { status: z.enum(['OPEN', 'CLOSED', 'PAUSED']) }, '$.status: enum value "PAUSED" added'],
    ['an enum value removed', { status: z.enum(['OPEN']) }, '$.status: enum value "CLOSED" removed'],
    ['a field made nullable', { amount: z.string().regex(/^\d+$/).nullable() }, '$.amount: became nullable'],
    ['a field no longer nullable', { parent: z.uuid() }, '$.parent: is no longer nullable'],
    ['a format changed', { id: z.string() }, '$.id: format removed (was "uuid")'],
    ['a pattern changed', { amount: z.string().regex(/^\d+(\.\d+)?$/) }, '$.amount: pattern changed from "^\\\\d+$" to "^\\\\d+(\\\\.\\\\d+)?$"'],
    ['a bound loosened', { hours: z.number().int().nonnegative() }, '$.hours: exclusiveMinimum removed (was 0)'],
    ['an item type changed', { tags: z.array(z.number()) }, '$.tags[]: type changed from "string" to "number"'],
  ])('refuses %s', (_case, fields, change) => {
    expect(breakingChanges(frozen, changed(fields))).toContain(change);
  });

  it('reports every break of a schema, with its path', () => {
    expect(breakingChanges(frozen, changed({ id: undefined, budget: z.object({ min: z.number(), max: z.string() }) }))).toEqual([
      '$.budget.min: type changed from "string" to "number"',
      '$.id: property removed',
    ]);
  });
});
