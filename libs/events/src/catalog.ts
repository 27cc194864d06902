import { z } from 'zod';
import { EnvelopeSchema, type EventDefinition, type EventEnvelope } from './envelope';
import * as identity from './identity';
import * as jobs from './jobs';
import * as matching from './matching';
import * as referrals from './referrals';
import * as rewards from './rewards';
import * as partner from './public';
import * as payments from './payments';
import * as governance from './governance';

/** Every event of the network, by type. Adding an event means adding it here. */
export const EVENT_CATALOG: ReadonlyMap<string, EventDefinition> = new Map(
  [
    ...Object.values(identity),
    ...Object.values(jobs),
    ...Object.values(matching),
    ...Object.values(referrals),
    ...Object.values(rewards),
    ...Object.values(partner),
    ...Object.values(payments),
    ...Object.values(governance),
  ].map((definition) => [definition.type, definition as EventDefinition]),
);

export type ParseResult = { ok: true; event: EventEnvelope; definition: EventDefinition } | { ok: false; reason: string; envelope?: EventEnvelope };

/**
 * Parses and validates a raw message value: JSON, envelope, known type and version,
 * payload schema. Never throws; the reason is meant for the dead-letter topic.
 * `catalog` defaults to every event of the network; a consumer may pass its own.
 */
export function parseEvent(raw: Buffer | string | null | undefined, catalog: ReadonlyMap<string, EventDefinition> = EVENT_CATALOG): ParseResult {
  if (raw === null || raw === undefined) return { ok: false, reason: 'empty message value' };
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'message value is not JSON' };
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, reason: `invalid envelope: ${z.prettifyError(envelope.error)}` };
  const event = envelope.data as EventEnvelope;
  const definition = catalog.get(event.type);
  if (!definition) return { ok: false, reason: `unknown event type ${event.type}`, envelope: event };
  if (definition.version !== event.version) {
    return { ok: false, reason: `unsupported version ${event.version} of ${event.type}`, envelope: event };
  }
  const payload = definition.schema.safeParse(event.payload);
  if (!payload.success) {
    return { ok: false, reason: `invalid ${event.type} payload: ${z.prettifyError(payload.error)}`, envelope: event };
  }
  return { ok: true, event: { ...event, payload: payload.data }, definition };
}
