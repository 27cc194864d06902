import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * The envelope every event travels in, on every topic. The payload is validated
 * against the event's own schema (see `defineEvent`), on publish and on consume.
 */
export const EnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  source: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  aggregateId: z.string().min(1),
  traceparent: z
    .string()
    .regex(/^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/)
    .optional(),
  payload: z.unknown(),
});

export interface EventEnvelope<TType extends string = string, TPayload = unknown> {
  id: string;
  type: TType;
  version: number;
  source: string;
  occurredAt: string;
  aggregateId: string;
  traceparent?: string;
  payload: TPayload;
}

export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  type: TType;
  version: number;
  /** The topic the producing service publishes on. */
  topic: string;
  /** Producing service, written into `source`. */
  source: string;
  schema: TSchema;
  /** Picks the aggregate id (the Kafka message key) from a payload. */
  aggregateIdOf: (payload: z.infer<TSchema>) => string;
}

export type PayloadOf<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;
export type EnvelopeOf<D> = D extends EventDefinition<infer T, infer S> ? EventEnvelope<T, z.infer<S>> : never;

export function defineEvent<TType extends string, TSchema extends z.ZodType>(definition: EventDefinition<TType, TSchema>): EventDefinition<TType, TSchema> {
  return Object.freeze(definition);
}

/** Builds a validated envelope; throws a ZodError when the payload does not match its schema. */
export function createEvent<D extends EventDefinition>(
  definition: D,
  payload: PayloadOf<D>,
  options: { traceparent?: string; occurredAt?: Date; id?: string } = {},
): EnvelopeOf<D> {
  const parsed = definition.schema.parse(payload);
  const envelope: EventEnvelope = {
    id: options.id ?? randomUUID(),
    type: definition.type,
    version: definition.version,
    source: definition.source,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    aggregateId: definition.aggregateIdOf(parsed),
    payload: parsed,
  };
  if (options.traceparent) envelope.traceparent = options.traceparent;
  return envelope as EnvelopeOf<D>;
}
