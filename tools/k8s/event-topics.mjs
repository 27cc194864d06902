// Which Kafka topics each service reads and writes, from the source code, so that the KafkaUsers'
// ACLs can be checked against it: a service that handles an event of a topic its user may not read
// would start, then never receive that event in production.
//   - libs/events/src/topics.ts: `Topics = { key: 'name', ... }`;
//   - libs/events/src/**: `export const X = defineEvent({ ... topic: Topics.key, source: 'service' ... })`:
//     the service `source` publishes X on that topic;
//   - apps/<service>/src/**: `@OnEvent(X)`: the service consumes X's topic (and dead-letters to `<topic>.dlq`).
// A plain reading of the source (no TypeScript build needed); it fails loudly if a pattern stops matching.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

function sourceFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec|d)\.ts$/.test(entry.name)) found.push(full);
  }
  return found;
}

/** @returns {{ reads: Map<string, Set<string>>, writes: Map<string, Set<string>> }} topic names per service */
export function eventTopics(root) {
  const topicsSource = readFileSync(path.join(root, 'libs/events/src/topics.ts'), 'utf8');
  const block = /export const Topics = \{([^}]*)\}/.exec(topicsSource)?.[1];
  if (!block) throw new Error('libs/events/src/topics.ts: no `export const Topics = { ... }`');
  const topics = new Map([...block.matchAll(/(\w+):\s*'([^']+)'/g)].map(([, key, name]) => [key, name]));

  const events = new Map(); // event const -> { topic, source }
  for (const file of sourceFiles(path.join(root, 'libs/events/src'))) {
    const text = readFileSync(file, 'utf8');
    const starts = [...text.matchAll(/export const (\w+) = defineEvent\(/g)];
    starts.forEach((match, i) => {
      const body = text.slice(match.index, starts[i + 1]?.index ?? text.length);
      const topicKey = /topic: Topics\.(\w+)/.exec(body)?.[1];
      const source = /source: '([\w-]+)'/.exec(body)?.[1];
      if (!topicKey || !topics.has(topicKey) || !source) throw new Error(`${path.relative(root, file)}: ${match[1]} has no recognizable topic/source`);
      events.set(match[1], { topic: topics.get(topicKey), source });
    });
  }
  if (events.size === 0) throw new Error('libs/events/src: no defineEvent found');

  const add = (map, service, topic) => map.set(service, (map.get(service) ?? new Set()).add(topic));
  const writes = new Map();
  for (const { topic, source } of events.values()) add(writes, source, topic);
  const reads = new Map();
  for (const app of readdirSync(path.join(root, 'apps'), { withFileTypes: true })) {
    if (!app.isDirectory()) continue;
    let files;
    try {
      files = sourceFiles(path.join(root, 'apps', app.name, 'src'));
    } catch {
      continue; // an app folder without sources (being created)
    }
    for (const file of files) {
      for (const [, event] of readFileSync(file, 'utf8').matchAll(/@OnEvent\((\w+)\)/g)) {
        const definition = events.get(event);
        if (!definition) throw new Error(`${path.relative(root, file)}: @OnEvent(${event}) names no event of libs/events`);
        add(reads, app.name, definition.topic);
      }
    }
  }
  return { reads, writes };
}
