import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DependencyMonitor } from '../health/dependency-monitor';
import { ConsumerMetrics } from '../messaging/consumer-metrics';
import { OutboxRelayMetrics, registerOutboxGauges } from '../messaging/outbox-metrics';
import { JobQueueMetrics } from '../queues/job-queue-metrics';
import { graphqlMetricsPlugin } from './graphql-metrics';
import { Metrics } from './metrics';

/*
 * The Grafana dashboard (k8s/base/observability/grafana-dashboard.json) against the code: a panel
 * over a metric nobody registers (renamed, removed, misspelt) stays empty without an error.
 */

interface Target {
  expr: string;
}
interface Panel {
  type: string;
  title: string;
  id: number;
  datasource?: { uid: string };
  targets?: Target[];
}
interface Dashboard {
  schemaVersion: number;
  __inputs: Array<{ name: string; pluginId: string }>;
  templating: { list: Array<{ name: string; type: string; definition?: string }> };
  panels: Panel[];
}

const dashboard = JSON.parse(readFileSync(join(__dirname, '../../../../k8s/base/observability/grafana-dashboard.json'), 'utf8')) as Dashboard;
const queryPanels = dashboard.panels.filter((p) => p.type !== 'row');
const expressions = queryPanels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/** The metric names a PromQL expression (or a Grafana `label_values(metric, label)` query) reads. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,[^)]*\)/g, '$1') // the label is not a metric
    .replace(/"(?:[^"\\]|\\.)*"/g, '') // strings
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // ranges
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ''); // label lists
  const names = [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\(|[a-zA-Z0-9_:])/g)].map((m) => m[0]);
  return [...new Set(names.filter((n) => !PROMQL_WORDS.has(n.toLowerCase())))];
}

/** Every series name the platform registers in a service's registry (histograms as their _bucket, _sum, _count). */
function registeredNames(): Set<string> {
  const metrics = new Metrics('dashboard-test');
  const registry = metrics.registry;
  registerOutboxGauges(metrics, { query: async () => [{ n: 0, s: 0 }] });
  new OutboxRelayMetrics(registry);
  new ConsumerMetrics(registry);
  new JobQueueMetrics(registry, 'dashboard-test', async () => ({}));
  graphqlMetricsPlugin(registry);
  new DependencyMonitor({}, { registry });
  const names = new Set<string>();
  for (const metric of registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

describe('the Grafana dashboard', () => {
  it('reads metric names out of PromQL, leaving functions, labels and keywords aside', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, operation) (rate(graphql_operation_duration_seconds_bucket{service=~"$service",outcome="error"}[$__rate_interval]))) / on (operation) group_left max without (instance) (up)',
      ),
    ).toEqual(['graphql_operation_duration_seconds_bucket', 'up']);
    expect(metricNames('label_values(process_cpu_seconds_total, service)')).toEqual(['process_cpu_seconds_total']);
  });

  it('only queries metrics the platform registers', () => {
    const registered = registeredNames();
    const queried = [...expressions, ...dashboard.templating.list.map((v) => v.definition ?? '')].flatMap(metricNames);
    expect(queried.filter((name) => !registered.has(name))).toEqual([]);
  });

  it('shows what ops watch: GraphQL, HTTP, consumers, outbox, queues, dependencies, processes', () => {
    const queried = new Set(expressions.flatMap(metricNames));
    const watched = [
      'graphql_operation_duration_seconds_bucket',
      'graphql_operation_duration_seconds_count',
      'http_request_duration_seconds_bucket',
      'event_consumer_lag',
      'event_consumer_retries_total',
      'event_consumer_dead_letters_total',
      'event_consumer_partition_paused',
      'outbox_pending_events',
      'outbox_oldest_pending_age_seconds',
      'job_queue_depth',
      'dependency_up',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
    ];
    expect(watched.filter((name) => !queried.has(name))).toEqual([]);
  });

  it('is importable anywhere: schema 39+, Prometheus as an input, every query filtered by the service variable', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', pluginId: 'prometheus' })]);
    const service = dashboard.templating.list.find((v) => v.name === 'service');
    expect(service).toEqual(expect.objectContaining({ type: 'query', definition: 'label_values(process_cpu_seconds_total, service)' }));
    for (const panel of queryPanels) {
      expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({ panel: panel.title, uid: '${DS_PROMETHEUS}' });
      for (const { expr } of panel.targets ?? [])
        expect({ panel: panel.title, filtered: expr.includes('service=~"$service"') }).toEqual({ panel: panel.title, filtered: true });
    }
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
