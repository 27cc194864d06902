import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ServiceProcess {
  name: string;
  url: string;
  port: number;
  /** The process id (fault injection: which connections are this service's). */
  pid: number;
  /** Everything the process printed so far (JSON log lines). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const workspaceRoot = (): string => path.resolve(__dirname, '../../..');

/**
 * Node's on-disk compile cache for the services a test run starts (a run starts each service
 * dozens of times, and compiling its modules is a fifth of its start-up CPU). Node checks each
 * entry against its source, so a rebuild never runs stale code.
 */
export const compileCacheDir = (): string => process.env.NODE_COMPILE_CACHE ?? path.join(tmpdir(), 'talent-node-compile-cache');

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}

/** `count` distinct free TCP ports on the loopback interface: all held open at once while chosen, so no two are the same. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.unref();
            server.on('error', reject);
            server.listen(0, '127.0.0.1', () => {
              const address = server.address();
              if (typeof address === 'object' && address) resolve(address.port);
              else reject(new Error('no port'));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => (server.listening ? server.close(resolve) : resolve(undefined)))));
  }
}

/**
 * Starts a built service (`node <entry>`) as a real process with the given environment
 * and waits until its `/ready` answers 200, so tests talk to the same server users run.
 */
export async function startServiceProcess(options: {
  name: string;
  entry: string;
  env: Record<string, string>;
  port?: number;
  readyTimeoutMs?: number;
  /** Called as soon as the process exists, before it is ready: a caller starting several at once can stop them all if one fails. */
  onSpawn?: (process: ServiceProcess) => void;
}): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [path.resolve(workspaceRoot(), options.entry)], {
    cwd: workspaceRoot(),
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', NODE_COMPILE_CACHE: compileCacheDir(), ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    name: options.name,
    url,
    port,
    pid: child.pid ?? -1,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        // Exited already (by itself or by a signal): nothing to wait for.
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', (code) => {
          clearTimeout(killer);
          resolve(code);
        });
        child.kill(signal);
      }),
  };
  options.onSpawn?.(service);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited with ${child.exitCode}:\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} was not ready in time:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return service;
}
