import { spawn, type ChildProcess } from 'node:child_process';

export interface KafkaBroker {
  brokers: string[];
  /** True when this process started the broker (and will stop it). */
  started: boolean;
  /** The kcat process id when this process started the broker (fault injection: SIGSTOP/SIGCONT). */
  pid?: number;
  /**
   * What a service should run with on this broker. The mock holds an empty fetch for the consumer's
   * whole max wait, even when a message arrives meanwhile (Kafka answers at once), so there the wait
   * is also the delivery latency: half a second, against Kafka's 5 s default (docs/operations.md).
   */
  serviceEnv: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * A Kafka-protocol broker for tests and local runs: `KAFKA_BROKERS` when set, otherwise
 * librdkafka's mock cluster started through `kcat` (Debian package `kcat`). The mock speaks
 * the real wire protocol (produce, fetch, consumer groups, auto-created topics), keeps
 * data in memory, and dies with this process.
 */
export async function startKafkaBroker(options: { timeoutMs?: number; detached?: boolean } = {}): Promise<KafkaBroker> {
  const configured = process.env.KAFKA_BROKERS?.trim();
  if (configured) {
    return { brokers: configured.split(',').map((b) => b.trim()), started: false, serviceEnv: {}, stop: async () => undefined };
  }
  const child: ChildProcess = spawn(
    'kcat',
    ['-C', '-t', '_keepalive', '-b', 'unused:1', '-X', 'test.mock.num.brokers=1', '-d', 'mock', '-q'],
    // detached: its own process group, so a terminal's Ctrl-C reaches only the caller, which stops the broker last.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: options.detached ?? false },
  );
  const brokers = await new Promise<string[]>((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat mock cluster did not report its address in time:\n${stderr.slice(-2000)}`));
    }, options.timeoutMs ?? 15_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new Error(`Cannot start the local Kafka-protocol broker (${error.message}). Install kcat (bash tools/install-system-deps.sh) or set KAFKA_BROKERS.`),
      );
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kcat exited with code ${code} before the mock cluster was up:\n${stderr.slice(-2000)}`));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /bootstrap\.servers=(\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume(); // keep draining the debug output
        resolve(match[1].split(','));
      }
    });
  });
  return {
    brokers,
    started: true,
    pid: child.pid,
    serviceEnv: { KAFKA_CONSUMER_MAX_WAIT_MS: '500' },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        // Not unref'd: the caller's process must not exit before the broker is gone.
        const killer = setTimeout(() => child.kill('SIGKILL'), 1000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
