// What the benches share: a bounded-concurrency runner, a seeded PRNG, latency percentiles and,
// for the benches that go through the gateway, a stack of real processes on a local broker.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs `task(i)` for i in [0, n) with `concurrency` in flight; returns the elapsed seconds. */
export async function run(n, concurrency, task, label) {
  let next = 0;
  let done = 0;
  const started = performance.now();
  const step = Math.max(1, Math.floor(n / 5));
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      await task(i);
      if (++done % step === 0 && label) process.stderr.write(`  ${label}: ${done}/${n}\n`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
}

/** A deterministic pseudo-random sequence, so runs are comparable. */
export function prng(seed) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** The p-th percentile of sorted values (nearest rank). */
export const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/** p50, p95 and p99 of latencies in any order. */
export const stats = (latencies) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
};

/**
 * identity, `service` (a name, or several) and the gateway as production processes on fresh databases
 * and a local Kafka-protocol broker (or KAFKA_BROKERS): `{ stack, stop }`. `stop` is idempotent and
 * also runs on Ctrl-C.
 */
export async function startBenchStack(service, { logLevel = 'error', env = {} } = {}) {
  const services = [service].flat();
  const { startKafkaBroker, startStack } = await import(path.join(root, 'libs/testing/dist/index.js'));
  let broker;
  let stack;
  const stop = async () => {
    await stack?.stop().catch((error) => console.error(`stopping the stack: ${error.message}`));
    stack = undefined;
    await broker?.stop().catch(() => undefined);
    broker = undefined;
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    broker = await startKafkaBroker();
    process.env.KAFKA_BROKERS = broker.brokers.join(',');
    const quiet = { LOG_LEVEL: logLevel, NODE_ENV: 'production' };
    stack = await startStack({
      services,
      env: {
        identity: { ...quiet, ACCESS_TOKEN_TTL_SECONDS: '3600', ...env.identity },
        // The production default pool (the stack's tests use 5).
        ...Object.fromEntries(services.map((name) => [name, { ...quiet, DATABASE_POOL_SIZE: '10', ...env[name] }])),
        // The bench's clients send everything from one address: the per-client limit would measure itself.
        gateway: { ...quiet, RATE_LIMIT_REQUESTS: '100000000', ...env.gateway },
      },
    });
    return { stack, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A text flame graph of a .cpuprofile: the `top` frames by self time and by inclusive time, as
 * shares of the busy samples (idle and GC are named apart), so a profile reads in a terminal.
 */
export function summarizeCpuProfile(profile, top = 15) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const frame = ({ callFrame: f }) =>
    `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^file:\/\//, '').replace(`${root}/`, '')}:${f.lineNumber + 1}` : ''}`.trim();
  const self = new Map();
  const inclusive = new Map();
  let busy = 0;
  let idle = 0;
  for (const [id, count] of hits) {
    const name = frame(byId.get(id));
    if (name === '(idle)' || name === '(program)') {
      idle += count;
      continue;
    }
    busy += count;
    self.set(name, (self.get(name) ?? 0) + count);
    // Each frame once per sample, however often it recurses.
    const seen = new Set();
    for (let node = id; node !== undefined; node = parent.get(node)) {
      const n = frame(byId.get(node));
      if (seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + count);
    }
  }
  const table = (counts) =>
    [...counts]
      .filter(([name]) => name !== '(root)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => `  ${((100 * count) / busy).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return `busy samples: ${busy} (idle/program: ${idle})\nself time, top ${top}:\n${table(self)}\ninclusive time, top ${top}:\n${table(inclusive)}`;
}
