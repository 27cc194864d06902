import { CloudEvent, Kafka, type CloudEventV1, type KafkaMessage } from 'cloudevents';
import { EVENT_CATALOG, parseEvent, type ParseResult } from './catalog';
import type { EventDefinition, EventEnvelope } from './envelope';

/**
 * Partner-facing topics carry CloudEvents 1.0 in binary content mode (Kafka protocol binding):
 * the attributes travel as `ce_*` headers, the message value is the payload alone, as JSON.
 * Internal topics keep the JSON envelope. See docs/partner-events.md and docs/asyncapi.yaml.
 */
export const isPublicTopic = (topic: string): boolean => topic.startsWith('public.');

/** `ce_source` is a URI-reference: the producing service under the network's namespace. */
export const CLOUDEVENTS_SOURCE_PREFIX = '/talent-network/';

export const CloudEventHeaders = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  time: 'ce_time',
  subject: 'ce_subject',
  /** Extension attribute: the version of the event type's schema (the envelope's `version`). */
  dataversion: 'ce_dataversion',
  /** Distributed tracing extension. */
  traceparent: 'ce_traceparent',
  contentType: 'content-type',
} as const;

const REQUIRED_HEADERS = [
  CloudEventHeaders.specversion,
  CloudEventHeaders.id,
  CloudEventHeaders.source,
  CloudEventHeaders.type,
  CloudEventHeaders.time,
  CloudEventHeaders.subject,
  CloudEventHeaders.dataversion,
] as const;

export interface CloudEventKafkaMessage {
  key: string;
  /** The payload, JSON. */
  value: string;
  headers: Record<string, string>;
}

/** Headers as kafkajs hands them over (no dependency on kafkajs here). */
export type RawHeaders = Record<string, Buffer | string | Array<Buffer | string> | undefined>;

/** The binary-mode Kafka message of an envelope bound for a public topic. */
export function toCloudEventMessage(envelope: EventEnvelope): CloudEventKafkaMessage {
  const event = new CloudEvent({
    specversion: '1.0',
    id: envelope.id,
    source: `${CLOUDEVENTS_SOURCE_PREFIX}${envelope.source}`,
    type: envelope.type,
    time: envelope.occurredAt,
    subject: envelope.aggregateId,
    datacontenttype: 'application/json',
    dataversion: String(envelope.version),
    ...(envelope.traceparent ? { traceparent: envelope.traceparent } : {}),
    data: envelope.payload,
  });
  const message = Kafka.binary(event);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    // The binding maps datacontenttype to `content-type` alone; unset optional attributes come back undefined.
    if (value === undefined || value === null || name === 'ce_datacontenttype' || name === 'ce_partitionkey') continue;
    headers[name] = String(value);
  }
  // Plain W3C header too: tracing agents and kafkajs instrumentations read this one.
  if (envelope.traceparent) headers.traceparent = envelope.traceparent;
  return { key: envelope.aggregateId, value: JSON.stringify(envelope.payload), headers };
}

/**
 * Rebuilds the envelope of a binary-mode CloudEvent and validates it exactly as `parseEvent`
 * validates a JSON envelope (known type, version, payload schema). Never throws; the reason
 * is meant for the dead-letter topic.
 */
export function parseCloudEventMessage(
  message: { headers?: RawHeaders | null; value: Buffer | string | null | undefined },
  catalog: ReadonlyMap<string, EventDefinition> = EVENT_CATALOG,
): ParseResult {
  const headers = textHeaders(message.headers ?? {});
  const missing = REQUIRED_HEADERS.filter((name) => !headers[name]);
  if (missing.length > 0) return { ok: false, reason: `not a CloudEvent: missing header ${missing.join(', ')}` };
  if (headers[CloudEventHeaders.specversion] !== '1.0') {
    return { ok: false, reason: `unsupported CloudEvents specversion ${headers[CloudEventHeaders.specversion]}` };
  }
  if (!headers[CloudEventHeaders.contentType]?.startsWith('application/json')) {
    return { ok: false, reason: `unsupported content-type ${headers[CloudEventHeaders.contentType] ?? '(none)'}: expected application/json` };
  }
  const source = headers[CloudEventHeaders.source]!;
  if (!source.startsWith(CLOUDEVENTS_SOURCE_PREFIX)) return { ok: false, reason: `ce_source ${source} is not under ${CLOUDEVENTS_SOURCE_PREFIX}` };
  const dataversion = headers[CloudEventHeaders.dataversion]!;
  if (!/^[1-9]\d*$/.test(dataversion)) return { ok: false, reason: `invalid ce_dataversion ${dataversion}` };
  if (message.value === null || message.value === undefined) return { ok: false, reason: 'empty message value' };

  let event: CloudEventV1<unknown>;
  try {
    const decoded = Kafka.toEvent({ key: '', value: message.value, headers } as KafkaMessage);
    event = Array.isArray(decoded) ? decoded[0]! : decoded;
    // The SDK's own check of the spec attributes (id, source, type, time formats).
    if (event instanceof CloudEvent) event.validate();
  } catch (error) {
    const detail = error instanceof SyntaxError ? 'message value is not JSON' : error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `invalid CloudEvent: ${detail}` };
  }
  const envelope: EventEnvelope = {
    id: event.id,
    type: event.type,
    version: Number(dataversion),
    source: source.slice(CLOUDEVENTS_SOURCE_PREFIX.length),
    // The raw attribute: the SDK normalises it through Date, losing a non-UTC offset.
    occurredAt: headers[CloudEventHeaders.time]!,
    aggregateId: headers[CloudEventHeaders.subject]!,
    payload: event.data,
  };
  const traceparent = headers[CloudEventHeaders.traceparent] ?? headers.traceparent;
  if (traceparent) envelope.traceparent = traceparent;
  // One validation for both encodings: the same schema checks and the same reasons.
  return parseEvent(JSON.stringify(envelope), catalog);
}

function textHeaders(raw: RawHeaders): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== null) text[name.toLowerCase()] = first.toString();
  }
  return text;
}
