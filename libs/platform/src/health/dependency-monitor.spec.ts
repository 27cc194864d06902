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

  it('checks again sooner while a dependency is down, and at the interval once all are up', async () => {
    jest.useFakeTimers();
    try {
      let subgraphUp = false;
      let checks = 0;
      const monitor = new DependencyMonitor(
        {
          subgraph: async () => {
            checks++;
            return subgraphUp;
          },
        },
        { intervalMs: 5000, downIntervalMs: 1000 },
      );
      monitor.start();
      await jest.advanceTimersByTimeAsync(0);
      expect(checks).toBe(1); // at start: not up yet (it starts after the gateway)

      subgraphUp = true;
      await jest.advanceTimersByTimeAsync(1000);
      expect(checks).toBe(2);
      expect(monitor.snapshot().subgraph.status).toBe('up');

      await jest.advanceTimersByTimeAsync(4999);
      expect(checks).toBe(2); // up: the next check is a whole interval later
      await jest.advanceTimersByTimeAsync(1);
      expect(checks).toBe(3);

      monitor.stop();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(checks).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps one schedule when stopped and started again while a check is running', async () => {
    jest.useFakeTimers();
    try {
      let checks = 0;
      let answer: ((up: boolean) => void) | undefined;
      const monitor = new DependencyMonitor(
        {
          slow: () => {
            checks++;
            return new Promise<boolean>((resolve) => (answer = resolve));
          },
        },
        { intervalMs: 5000, timeoutMs: 60_000 },
      );
      monitor.start();
      await jest.advanceTimersByTimeAsync(0);
      expect(checks).toBe(1);
      monitor.stop();
      monitor.start(); // joins the round still running (one check), and schedules from its end
      answer!(true);
      await jest.advanceTimersByTimeAsync(0);
      expect(jest.getTimerCount()).toBe(1); // the next check, once: the stopped schedule did not resume
      await jest.advanceTimersByTimeAsync(5000);
      expect(checks).toBe(2);
      monitor.stop();
      answer!(true);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(checks).toBe(2);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('counts a check that does not answer in time as down', async () => {
    const monitor = new DependencyMonitor({ hung: () => new Promise<boolean>(() => undefined) }, { timeoutMs: 10 });
    await monitor.checkAll();
    expect(monitor.snapshot().hung.status).toBe('down');
  });
});
