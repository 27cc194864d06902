import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { adminDatabaseUrl, testRedisUrl } from './database';

/*
 * Fault injection for the chaos suite (tools/chaos) and tests, scoped to one stack so that other
 * stacks and runs sharing this machine's PostgreSQL and Redis are not touched.
 */

/**
 * Makes one database unavailable for `ms`: new connections are refused (ALLOW_CONNECTIONS false)
 * and its open connections are terminated, except `keepPids` (e.g. the observer's own connection).
 * Locally this is what "PostgreSQL stopped" means: the shared server itself keeps running.
 */
export async function databaseOutage(database: string, ms: number, options: { keepPids?: number[]; adminUrl?: string } = {}): Promise<{ terminated: number }> {
  const admin = new Client({ connectionString: options.adminUrl ?? adminDatabaseUrl() });
  admin.on('error', () => undefined);
  await admin.connect();
  const ident = `"${database.replace(/"/g, '')}"`;
  let terminated = 0;
  try {
    await admin.query(`ALTER DATABASE ${ident} ALLOW_CONNECTIONS false`);
    try {
      const deadline = Date.now() + ms;
      // Terminate at once, and again while the outage lasts (a connection opened in the race is cut too).
      while (Date.now() < deadline) {
        const { rows } = await admin.query(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND NOT (pid = ANY($2::int[]))`,
          [database, options.keepPids ?? []],
        );
        terminated += rows[0].n;
        await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
      }
    } finally {
      await admin.query(`ALTER DATABASE ${ident} ALLOW_CONNECTIONS true`);
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
  return { terminated };
}

/**
 * Local addresses (ip:port) of the established IPv4 connections to `remotePort` owned by the
 * given processes, read from /proc (Linux; no package needed): socket inodes of each process's
 * file descriptors matched against /proc/net/tcp.
 */
export function connectionsOf(pids: number[], remotePort: number): string[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  }
  const addrs: string[] = [];
  const ipv4 = (hex: string) => [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10) continue;
    const [localHex, remoteHex, state, inode] = [cols[1], cols[2], cols[3], cols[9]];
    // 01 = ESTABLISHED
    if (state !== '01' || !inodes.has(inode) || parseInt(remoteHex.split(':')[1], 16) !== remotePort) continue;
    const [ip, port] = localHex.split(':');
    addrs.push(`${ipv4(ip)}:${parseInt(port, 16)}`);
  }
  return addrs;
}

/**
 * Kills the Redis connections of the given processes (CLIENT KILL ADDR), as a Redis restart looks
 * to them, without restarting the Redis server that other runs share. Returns how many were killed.
 */
export async function killRedisClients(pids: number[], redisUrl = testRedisUrl()): Promise<number> {
  const port = Number(new URL(redisUrl).port || 6379);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let killed = 0;
  try {
    for (const addr of connectionsOf(pids, port)) {
      killed += Number(
        await redis.call('CLIENT', 'KILL', 'ADDR', addr).then(
          () => 1,
          () => 0,
        ),
      );
    }
  } finally {
    redis.disconnect();
  }
  return killed;
}
