import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const adminDatabaseUrl = (): string =>
  process.env.TEST_DATABASE_ADMIN_URL ?? process.env.POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Connection URL of another database on the same server as `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates the database if it does not exist (for local runs). */
export async function ensureDatabase(name: string, adminUrl = adminDatabaseUrl()): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return databaseUrl(adminUrl, name);
}

/** A fresh, uniquely named database on the machine's PostgreSQL, dropped by `drop()`. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const admin = adminDatabaseUrl();
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return {
    name,
    url: databaseUrl(admin, name),
    drop: async () => {
      const c = new Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export const testRedisUrl = (): string => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix unique to one test run, so runs sharing the machine's Redis never collide. */
export const uniquePrefix = (label = 'test'): string => `${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
