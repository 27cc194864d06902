// `npm run dlq -- list|replay --topic T [--group G] [--event ID] [--json]`: the dead letters of a
// topic (`<T>.dlq`), and their replay.
//
// A replay re-publishes each dead letter, as it was, onto the partition of the original topic it
// came from, marked for the consumer group that refused it (header `dlq-replay-for`: other groups
// ignore it). That group applies it through its inbox, so an event is applied at most once however
// often it is replayed; one that is still refused is dead-lettered again, with the new reason.
// Replay after fixing the cause (a handler bug, a missing projection); the dead letters stay in
// the topic (Kafka is a log) and `list` shows them all.
//
// Env: KAFKA_BROKERS (required), KAFKA_TOPIC_PREFIX (the stack's, default empty). T is the
// original topic without the prefix (e.g. `jobs.events.v1`); the prefixed name is accepted too.
// Needs the libs built (`npm run build`).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import events from '@talent/events';

const { DeadLetterHeaders: H, deadLetterTopic } = events;

const USAGE = 'usage: npm run dlq -- list|replay --topic <topic> [--group <consumer group>] [--event <event id>] [--json]';

function fail(message) {
  console.error(message);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    topic: { type: 'string' },
    group: { type: 'string' },
    event: { type: 'string' },
    json: { type: 'boolean', default: false },
    'timeout-ms': { type: 'string', default: '30000' },
  },
});
const [command] = positionals;
if (!['list', 'replay'].includes(command) || !values.topic) fail(USAGE);
const brokers = (process.env.KAFKA_BROKERS ?? '')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
if (brokers.length === 0) fail('KAFKA_BROKERS is not set');
const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
const bare = values.topic.replace(/\.dlq$/, '');
const sourceTopic = prefix && bare.startsWith(prefix) ? bare : `${prefix}${bare}`;
const dlqTopic = deadLetterTopic(sourceTopic);
const timeoutMs = Number(values['timeout-ms']);

const kafka = new Kafka({ clientId: 'dlq-tool', brokers, logLevel: logLevel.ERROR });

const text = (v) => (v === undefined || v === null ? undefined : (Array.isArray(v) ? v[0] : v).toString());

/** Every message of the dead-letter topic, from its start to its current end. */
async function readDeadLetters() {
  const admin = kafka.admin();
  await admin.connect();
  let ends;
  try {
    ends = await admin.fetchTopicOffsets(dlqTopic).catch(() => []);
  } finally {
    await admin.disconnect();
  }
  const pending = new Map(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]));
  if (pending.size === 0) return [];
  // A throwaway group that never commits: reading the dead letters moves nothing.
  const consumer = kafka.consumer({ groupId: `dlq-tool-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const letters = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out reading ${dlqTopic}`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = pending.get(partition);
            if (end === undefined) return;
            const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, text(v)]));
            letters.push({ dlqPartition: partition, dlqOffset: message.offset, key: message.key, value: message.value, headers });
            if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return letters;
}

function describe(letter) {
  const h = letter.headers;
  let eventId = h[H.eventId];
  let eventType = h[H.eventType];
  if (!eventId) {
    try {
      const envelope = JSON.parse(letter.value?.toString() ?? '');
      eventId = typeof envelope?.id === 'string' ? envelope.id : undefined;
      eventType = typeof envelope?.type === 'string' ? envelope.type : undefined;
    } catch {
      // not JSON: an invalid message, listed by its offsets
    }
  }
  return {
    dlq: `${dlqTopic}[${letter.dlqPartition}]@${letter.dlqOffset}`,
    eventId: eventId ?? null,
    eventType: eventType ?? null,
    group: h[H.consumerGroup] ?? null,
    failure: h[H.failure] ?? null,
    errorClass: h[H.errorClass] ?? null,
    reason: h[H.reason] ?? null,
    source: { topic: h[H.sourceTopic] ?? sourceTopic, partition: h[H.sourcePartition] ?? null, offset: h[H.sourceOffset] ?? null },
    failedAt: h[H.failedAt] ?? null,
  };
}

const letters = (await readDeadLetters())
  .map((letter) => ({ letter, info: describe(letter) }))
  .filter(({ info }) => (!values.group || info.group === values.group) && (!values.event || info.eventId === values.event));

if (command === 'list') {
  if (values.json)
    console.log(
      JSON.stringify(
        letters.map(({ info }) => info),
        null,
        2,
      ),
    );
  else {
    for (const { info } of letters) {
      console.log(
        `${info.dlq}  ${info.failedAt ?? '-'}  group=${info.group ?? '-'}  ${info.eventType ?? '-'} ${info.eventId ?? '-'}  ` +
          `${info.failure ?? '-'}/${info.errorClass ?? '-'}  from ${info.source.topic}[${info.source.partition ?? '?'}]@${info.source.offset ?? '?'}  ${info.reason ?? ''}`,
      );
    }
    console.log(`${letters.length} dead letter(s) in ${dlqTopic}`);
  }
  process.exit(0);
}

// replay: once per consumer group and event (or source offset), whatever number of times it was dead-lettered.
const seen = new Set();
const toReplay = letters.filter(({ info }) => {
  const key = `${info.group}|${info.eventId ?? `${info.source.topic}/${info.source.partition}/${info.source.offset}`}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
});
if (values.event && toReplay.length === 0) fail(`no dead letter of event ${values.event} in ${dlqTopic}`);
const producer = kafka.producer({ allowAutoTopicCreation: true, idempotent: false, maxInFlightRequests: 1 });
await producer.connect();
try {
  const replayedAt = new Date().toISOString();
  for (const { letter, info } of toReplay) {
    const original = Object.fromEntries(Object.entries(letter.headers).filter(([name, v]) => !name.startsWith('dlq-') && v !== undefined));
    const headers = { ...original, [H.replayedAt]: replayedAt };
    if (info.group) headers[H.replayFor] = info.group;
    const partition = info.source.partition === null ? undefined : Number(info.source.partition);
    await producer.send({ topic: info.source.topic, acks: -1, messages: [{ key: letter.key, value: letter.value, headers, partition }] });
    if (!values.json)
      console.log(
        `replayed ${info.eventType ?? '-'} ${info.eventId ?? info.dlq} to ${info.source.topic}[${partition ?? '?'}] for ${info.group ?? 'every group'}`,
      );
  }
  if (values.json) console.log(JSON.stringify({ replayed: toReplay.map(({ info }) => info) }, null, 2));
  else console.log(`${toReplay.length} dead letter(s) replayed from ${dlqTopic}`);
} finally {
  await producer.disconnect();
}
