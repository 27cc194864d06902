import { Registry } from 'prom-client';
import { DependencyMonitor } from './dependency-monitor';

describe('DependencyMonitor', () => {
  const gaugeOf = async (registry: Registry, dependency: string) =>
    (await registry.getSingleMetric('dependency_up')!.get()).values.find((v) => v.labels.dependency === dependency)?.value;

  it("keeps each dependency's last answer and sets dependency_up", async () => {
    const registry = new Registry();
    let kafkaUp = true;
    const monitor = new DependencyMonitor(
      {
        postgres: async () => true,
        kafka: async () => {
          if (!kafkaUp) throw new Error('ECONNREFUSED');
          return true;
        },
        redis: async () => false,
      },
      { registry },
    );
    expect(monitor.snapshot().postgres.status).toBe('down'); // never checked yet

    await monitor.checkAll();
    expect(Object.fromEntries(Object.entries(monitor.snapshot()).map(([k, v]) => [k, v.status]))).toEqual({ postgres: 'up', kafka: 'up', redis: 'down' });
    expect(await gaugeOf(registry, 'kafka')).toBe(1);
    expect(await gaugeOf(registry, 'redis')).toBe(0);
    const since = monitor.snapshot().postgres.since;

    kafkaUp = false;
    await monitor.checkAll();
    expect(monitor.snapshot().kafka.status).toBe('down');
    expect(await gaugeOf(registry, 'kafka')).toBe(0);
    expect(monitor.snapshot().postgres.since).toBe(since); // unchanged state keeps its date
  });

  it('counts a check that does not answer in time as down', async () => {
    const monitor = new DependencyMonitor({ hung: () => new Promise<boolean>(() => undefined) }, { timeoutMs: 10 });
    await monitor.checkAll();
    expect(monitor.snapshot().hung.status).toBe('down');
  });
});
