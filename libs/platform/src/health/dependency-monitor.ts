import { Gauge, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import { loggableError } from '../logging/redaction';

/** Resolves true when the dependency answers; false or a rejection means down. */
export type DependencyCheck = () => Promise<boolean>;

export interface DependencyStatus {
  status: 'up' | 'down';
  /** When it last changed (ISO 8601). */
  since: string;
}

export interface DependencyMonitorOptions {
  /** Between checks while every dependency is up. Default 5 s. */
  intervalMs?: number;
  /**
   * Between checks while one is down, when its return should show sooner than an interval (the
   * gateway's subgraphs: a gateway often starts before them). Default: `intervalMs`.
   */
  downIntervalMs?: number;
  timeoutMs?: number;
  /** Where `dependency_up{dependency}` (1 up, 0 down) is registered. */
  registry?: Registry;
  logger?: Logger;
}

/**
 * Checks a process's dependencies in the background and keeps the last answer, for
 * `/health` details and the `dependency_up` gauge. A dependency that is down is news for
 * dashboards and alerts, not a reason to stop serving: readiness does not use it (the outbox
 * holds events while Kafka is away, a subgraph down costs only its own fields). Checked off
 * the probe's path, so a slow dependency never makes the liveness probe time out.
 */
export class DependencyMonitor {
  private readonly state = new Map<string, DependencyStatus>();
  private readonly gauge: Gauge<'dependency'> | null;
  private timer: NodeJS.Timeout | null = null;
  /** Bumped by start() and stop(): a check still running from before a stop schedules nothing. */
  private generation = 0;
  private started = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly checks: Record<string, DependencyCheck>,
    private readonly options: DependencyMonitorOptions = {},
  ) {
    this.gauge = options.registry
      ? new Gauge({
          name: 'dependency_up',
          help: 'Whether a dependency answered its last check (1) or not (0)',
          labelNames: ['dependency'],
          registers: [options.registry],
        })
      : null;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.checkAndReschedule(++this.generation);
  }

  stop(): void {
    this.started = false;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async checkAndReschedule(generation: number): Promise<void> {
    await this.checkAll();
    if (generation !== this.generation) return;
    const interval = this.options.intervalMs ?? 5000;
    const anyDown = [...this.state.values()].some((s) => s.status === 'down');
    this.timer = setTimeout(() => void this.checkAndReschedule(generation), anyDown ? (this.options.downIntervalMs ?? interval) : interval);
    this.timer.unref();
  }

  /** Adds a dependency to check, before `start()` (one known only once the app is built). */
  protected watch(name: string, check: DependencyCheck): void {
    this.checks[name] = check;
  }

  /** The last answer of each dependency; `down` until first checked. */
  snapshot(): Record<string, DependencyStatus> {
    return Object.fromEntries(Object.keys(this.checks).map((name) => [name, this.state.get(name) ?? { status: 'down', since: 'never checked' }]));
  }

  /** Checks every dependency once (concurrent calls share one round). */
  checkAll(): Promise<void> {
    this.running ??= Promise.all(Object.entries(this.checks).map(([name, check]) => this.checkOne(name, check)))
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => (this.running = null));
    return this.running;
  }

  private async checkOne(name: string, check: DependencyCheck): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let up = false;
    let error: unknown;
    try {
      up = await Promise.race([
        check(),
        new Promise<boolean>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs ?? 2000} ms`)), this.options.timeoutMs ?? 2000);
        }),
      ]);
    } catch (e) {
      error = e;
    } finally {
      clearTimeout(timer);
    }
    const status = up ? 'up' : 'down';
    const previous = this.state.get(name);
    if (previous?.status !== status) {
      this.state.set(name, { status, since: new Date().toISOString() });
      if (status === 'down') this.options.logger?.warn({ dependency: name, err: loggableError(error) }, 'dependency down');
      else if (previous) this.options.logger?.info({ dependency: name }, 'dependency up again');
    }
    this.gauge?.set({ dependency: name }, up ? 1 : 0);
  }
}
