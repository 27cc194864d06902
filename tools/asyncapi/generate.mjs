// Generates docs/asyncapi.yaml, the partner event contract (AsyncAPI 3.0), from the built
// libs/events: every catalog event published on a public topic, as the CloudEvents (binary mode)
// Kafka message and as the Standard Webhook the partners service delivers.
//
// `npm run asyncapi`: writes docs/asyncapi.yaml and freezes the JSON Schema of every new public
//   (type, version) in libs/events/public-schemas/ (an existing frozen file is never rewritten).
// `npm run asyncapi:check` (CI): writes nothing; fails when docs/asyncapi.yaml is stale, when
//   @asyncapi/parser reports an error, when a public (type, version) has no frozen schema, or when
//   the catalog breaks a frozen one (rule: libs/events/src/schema-compat.ts, `breakingChanges`).
// Needs the libs built (`npm run build`).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import events from '@talent/events';

const require = createRequire(import.meta.url);
const { Parser, DiagnosticSeverity } = require('@asyncapi/parser');
const { breakingChanges, publicJsonSchema } = require('@talent/events/dist/schema-compat.js');
const { EVENT_CATALOG, isPublicTopic, CLOUDEVENTS_SOURCE_PREFIX } = events;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DOCUMENT = path.join(root, 'docs/asyncapi.yaml');
const FROZEN_DIR = path.join(root, 'libs/events/public-schemas');
const check = process.argv.includes('--check');

/** The document's own version; each event's contract is its (type, version), frozen once published. */
const DOCUMENT_VERSION = '1.0.0';
const KAFKA_BINDING = '0.5.0';
const HTTP_BINDING = '0.3.0';

const frozenFile = (d) => `${d.type}.v${d.version}.json`;
const schemaId = (d) => `${d.type}.v${d.version}`;
/** job.posted -> jobPosted; public.jobs.v1 -> publicJobsV1 */
const camel = (text) => text.replace(/[._-](\w)/g, (_, c) => c.toUpperCase());

const publicDefinitions = [...EVENT_CATALOG.values()]
  .filter((d) => isPublicTopic(d.topic))
  .sort((a, b) => a.topic.localeCompare(b.topic) || a.type.localeCompare(b.type));

const DESCRIPTION = `The events the talent network publishes for partner nodes: a stable, PII-free projection
(no emails, no names of private people, no KYC data, no client or organization identity).

**Kafka.** The \`public.*\` topics carry [CloudEvents 1.0](https://github.com/cloudevents/spec) in
*binary content mode* (Kafka protocol binding): the attributes are \`ce_*\` headers, the message value
is the event's data alone, JSON. The key is the aggregate id (also \`ce_subject\`), so the events of
one job, grant or proposal stay in order. \`ce_dataversion\` is the version of the data schema.
Other headers may be present: ignore them.

**Webhooks.** A partner node may instead register a webhook: the partners service POSTs each event
to it as a [Standard Webhook](https://www.standardwebhooks.com/) (\`webhook-id\`, \`webhook-timestamp\`,
\`webhook-signature\` = \`v1,<base64 HMAC-SHA256>\` over \`<id>.<timestamp>.<body>\` with the node's secret;
verify it with any Standard Webhooks library), retried with backoff until the node answers 2xx.

**Delivery** is at least once on both: deduplicate by the event id (\`ce_id\`, \`webhook-id\`: the
same across retries and replays).

**Compatibility.** A published (type, version) only ever gains optional properties; any other
change is a new version, announced before it is published. Ignore properties you do not know.`;

function buildDocument() {
  const schemas = {
    cloudEventHeaders: {
      type: 'object',
      description: 'CloudEvents attributes of a public Kafka message (binary content mode).',
      required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_subject', 'ce_dataversion', 'content-type'],
      properties: {
        ce_specversion: { type: 'string', const: '1.0' },
        ce_id: { type: 'string', format: 'uuid', description: 'The event id: deduplicate by it.' },
        ce_source: { type: 'string', description: `The producing service, as \`${CLOUDEVENTS_SOURCE_PREFIX}<service>\`.` },
        ce_type: { type: 'string', description: 'The event type, e.g. `job.posted`.' },
        ce_time: { type: 'string', format: 'date-time', description: 'When the event occurred (RFC 3339).' },
        ce_subject: { type: 'string', description: 'The aggregate id (the message key).' },
        ce_dataversion: { type: 'string', pattern: '^[1-9][0-9]*$', description: 'Version of the data schema (extension attribute).' },
        ce_traceparent: { type: 'string', description: 'W3C trace context (distributed tracing extension), when traced.' },
        traceparent: { type: 'string', description: 'The same trace context as a plain W3C header.' },
        'content-type': { type: 'string', const: 'application/json', description: 'The datacontenttype of the value.' },
      },
    },
    webhookHeaders: {
      type: 'object',
      description: 'Standard Webhooks headers of a delivery to a partner node.',
      required: ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type'],
      properties: {
        'webhook-id': { type: 'string', format: 'uuid', description: 'The event id: the same across retries and replays; deduplicate by it.' },
        'webhook-timestamp': {
          type: 'string',
          pattern: '^[0-9]+$',
          description: 'When this attempt was signed, in unix seconds: refuse one too far from now.',
        },
        'webhook-signature': {
          type: 'string',
          pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$',
          description:
            'Space-separated `v1,<base64 HMAC-SHA256>` signatures of `<webhook-id>.<webhook-timestamp>.<body>` with the node secret (two while a secret is rotated).',
        },
        'content-type': { type: 'string', const: 'application/json' },
      },
    },
  };
  const messages = {};
  const channels = {};
  const operations = {};
  const webhookMessages = {};

  for (const d of publicDefinitions) {
    const id = camel(d.type);
    schemas[schemaId(d)] = publicJsonSchema(d);
    messages[id] = {
      name: d.type,
      title: `${d.type} v${d.version}`,
      summary: `\`${d.type}\` (data version ${d.version}) from ${d.source}, on ${d.topic}.`,
      contentType: 'application/json',
      headers: {
        allOf: [
          { $ref: '#/components/schemas/cloudEventHeaders' },
          {
            type: 'object',
            properties: {
              ce_type: { type: 'string', const: d.type },
              ce_source: { type: 'string', const: `${CLOUDEVENTS_SOURCE_PREFIX}${d.source}` },
              ce_dataversion: { type: 'string', const: String(d.version) },
            },
          },
        ],
      },
      payload: { $ref: `#/components/schemas/${schemaId(d)}` },
      bindings: {
        kafka: {
          key: { type: 'string', description: 'The aggregate id (same as ce_subject): its events stay in order on one partition.' },
          bindingVersion: KAFKA_BINDING,
        },
      },
    };
    webhookMessages[`${id}Webhook`] = {
      name: d.type,
      title: `${d.type} webhook`,
      summary: `\`${d.type}\` (data version ${d.version}) delivered to a partner node's webhook.`,
      contentType: 'application/json',
      headers: { $ref: '#/components/schemas/webhookHeaders' },
      payload: {
        type: 'object',
        required: ['type', 'timestamp', 'data'],
        properties: {
          type: { type: 'string', const: d.type },
          timestamp: { type: 'string', format: 'date-time', description: 'When the event occurred (as ce_time).' },
          data: { $ref: `#/components/schemas/${schemaId(d)}` },
        },
      },
    };
  }

  for (const topic of [...new Set(publicDefinitions.map((d) => d.topic))]) {
    const channelId = camel(topic);
    const ids = publicDefinitions.filter((d) => d.topic === topic).map((d) => camel(d.type));
    channels[channelId] = {
      address: topic,
      title: topic,
      description: `Partner topic \`${topic}\`: CloudEvents in binary content mode, keyed by the aggregate id.`,
      servers: [{ $ref: '#/servers/production' }],
      messages: Object.fromEntries(ids.map((id) => [id, { $ref: `#/components/messages/${id}` }])),
      bindings: { kafka: { topic, bindingVersion: KAFKA_BINDING } },
    };
    operations[`receive${channelId[0].toUpperCase()}${channelId.slice(1)}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${channelId}` },
      title: `Consume ${topic}`,
      summary: `A partner node's consumer group reads ${topic}.`,
      messages: ids.map((id) => ({ $ref: `#/channels/${channelId}/messages/${id}` })),
    };
  }

  channels.partnerWebhook = {
    // The node's registered webhookUrl: not known to this document.
    address: null,
    title: "Partner node's webhook",
    description: 'The HTTPS URL a partner node registered: every public event is POSTed to it as a Standard Webhook.',
    servers: [{ $ref: '#/servers/partnerNode' }],
    messages: Object.fromEntries(Object.keys(webhookMessages).map((id) => [id, { $ref: `#/components/messages/${id}` }])),
  };
  for (const d of publicDefinitions) {
    const id = `${camel(d.type)}Webhook`;
    operations[`receive${id[0].toUpperCase()}${id.slice(1)}`] = {
      action: 'receive',
      channel: { $ref: '#/channels/partnerWebhook' },
      title: `Receive ${d.type} by webhook`,
      summary: `The partner node answers 2xx once it has the event; anything else is retried.`,
      messages: [{ $ref: `#/channels/partnerWebhook/messages/${id}` }],
      bindings: { http: { method: 'POST', bindingVersion: HTTP_BINDING } },
    };
  }

  return {
    asyncapi: '3.0.0',
    info: { title: 'Talent Network partner events', version: DOCUMENT_VERSION, description: DESCRIPTION },
    defaultContentType: 'application/json',
    servers: {
      production: {
        host: '{bootstrapServers}',
        protocol: 'kafka-secure',
        description:
          "The production Kafka cluster's external listener: TLS (the cluster CA is handed over at onboarding) and SASL/SCRAM-SHA-512 with the node's own user `partner-<node>`, read-only on the `public.*` topics; its consumer group ids must start with `partner-<node>.`.",
        variables: { bootstrapServers: { description: 'Bootstrap servers, given to the partner at onboarding.' } },
        security: [{ $ref: '#/components/securitySchemes/partnerScram' }],
      },
      partnerNode: {
        host: '{webhookHost}',
        protocol: 'https',
        description: "The partner node's own HTTPS endpoint, which the partners service calls (Standard Webhooks).",
        variables: { webhookHost: { description: 'Host of the webhookUrl the partner node registered.' } },
      },
    },
    channels,
    operations,
    components: {
      schemas,
      messages: { ...messages, ...webhookMessages },
      securitySchemes: {
        partnerScram: { type: 'scramSha512', description: 'SASL/SCRAM-SHA-512 credentials issued per partner node.' },
      },
    },
  };
}

const render = (doc) =>
  `# Generated by tools/asyncapi/generate.mjs from libs/events: do not edit, run \`npm run asyncapi\`.\n${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`;

async function validate(text) {
  const diagnostics = await new Parser().validate(text);
  const where = (d) => (d.path?.length ? ` at ${d.path.join('.')}` : '');
  for (const d of diagnostics.filter((d) => d.severity !== DiagnosticSeverity.Error)) console.warn(`asyncapi warning: ${d.code}: ${d.message}${where(d)}`);
  return diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => `asyncapi: ${d.code}: ${d.message}${where(d)}`);
}

/** Problems of the frozen schemas against the catalog; the frozen files missing. */
function compatibility() {
  const problems = [];
  const frozen = existsSync(FROZEN_DIR)
    ? readdirSync(FROZEN_DIR)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  for (const file of frozen) {
    const match = /^(.+)\.v(\d+)\.json$/.exec(file);
    const definition = match && EVENT_CATALOG.get(match[1]);
    if (!definition || !isPublicTopic(definition.topic) || definition.version !== Number(match[2])) {
      problems.push(`${file}: this published event is no longer in the catalog (a published version stays; publish a new one beside it)`);
      continue;
    }
    const breaks = breakingChanges(JSON.parse(readFileSync(path.join(FROZEN_DIR, file), 'utf8')), publicJsonSchema(definition));
    for (const change of breaks) problems.push(`${file}: breaking change ${change} (publish a new version instead)`);
  }
  const missing = publicDefinitions.filter((d) => !frozen.includes(frozenFile(d)));
  return { problems, missing };
}

const text = render(buildDocument());
const problems = [];
const { problems: compat, missing } = compatibility();

if (check) {
  const committed = existsSync(DOCUMENT) ? readFileSync(DOCUMENT, 'utf8') : '';
  if (committed !== text) problems.push('docs/asyncapi.yaml is out of date: run npm run asyncapi');
  for (const d of missing) problems.push(`${d.type} v${d.version} has no frozen schema: run npm run asyncapi`);
} else {
  writeFileSync(DOCUMENT, text);
  mkdirSync(FROZEN_DIR, { recursive: true });
  for (const d of missing) {
    writeFileSync(path.join(FROZEN_DIR, frozenFile(d)), `${JSON.stringify(publicJsonSchema(d), null, 2)}\n`, { flag: 'wx' });
    console.log(`froze ${path.relative(root, path.join(FROZEN_DIR, frozenFile(d)))}`);
  }
  console.log(`wrote ${path.relative(root, DOCUMENT)} (${publicDefinitions.length} public events)`);
}
problems.push(...compat, ...(await validate(text)));

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
if (check) console.log(`docs/asyncapi.yaml is current and valid; ${publicDefinitions.length} public events compatible with their frozen schemas`);
