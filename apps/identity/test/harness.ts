import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventEnvelope } from '@talent/events';
import * as platform from '@talent/platform';
import { dataSourceOptions, FieldCipher, parseKeyRing } from '@talent/platform';
import { openServiceModule, type TestDatabase } from '@talent/testing';
import { IDENTITY_ENTITIES, IdentityModule, type IDENTITY_MIGRATIONS } from '../src/app.module';
import { SigningKeys } from '../src/auth/signing-keys';
import { IdentityConfigSchema } from '../src/config';
import { DocumentFingerprinter } from '../src/kyc/document-fingerprint';

export interface IdentityHarness {
  db: TestDatabase;
  dataSource: DataSource;
  /** The service as production builds it (its module), for the use cases a test calls directly (`app.get(X)`). */
  app: INestApplication;
  /** Messages the consumer dead-lettered (tests expect none unless they provoke them). */
  deadLetters: unknown[];
  /** Delivers an envelope through the service's consumer (inbox + every @OnEvent handler of identity). */
  deliver(envelope: EventEnvelope): Promise<void>;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface IdentityOptions {
  /** Environment on top of the test defaults; KYC_ENCRYPTION_KEY and KYC_FINGERPRINT_KEY are random unless given here. */
  env?: Record<string, string>;
  /** A database the test prepared (as a previous version left it): see openServiceModule's `database`. The caller drops it. */
  database?: TestDatabase;
}

/**
 * The identity service built from its production module (as main.ts builds it, from its config) on
 * a fresh database. Not with a mocked `jose`: identity signs and verifies with a key of its own.
 */
export async function openIdentity(label: string, options: IdentityOptions = {}): Promise<IdentityHarness> {
  // The access-token key: generated, as identity does without JWT_PRIVATE_KEY (no token is signed for another process here).
  const keys = await SigningKeys.fromPem(undefined);
  const service = await openServiceModule({
    platform,
    service: 'identity',
    label,
    database: options.database,
    configSchema: IdentityConfigSchema,
    module: (config) => IdentityModule.register(config, keys, cipherOf(config), fingerprinterOf(config)),
    env: {
      KYC_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      KYC_FINGERPRINT_KEY: randomBytes(32).toString('base64'),
      ...options.env,
    },
  });
  return {
    db: service.db,
    dataSource: service.dataSource,
    app: service.app,
    deadLetters: service.deadLetters,
    deliver: (envelope) => service.deliver(envelope),
    sql: service.sql,
    close: service.close,
  };
}

/**
 * A connection to an identity database with only `migrations` run: the database as a previous
 * version left it (or before the service starts), for a test to fill by hand. The service module
 * cannot stop between migrations, nor before its start-up work (the fingerprint backfill).
 */
export function openMigratedTo(db: TestDatabase, migrations: typeof IDENTITY_MIGRATIONS): Promise<DataSource> {
  return new DataSource(dataSourceOptions({ url: db.url, entities: IDENTITY_ENTITIES, migrations, poolSize: 8, applicationName: 'identity-int' })).initialize();
}

/** KYC_ENCRYPTION_KEY(S) as main.ts reads them (the harness always sets one). */
function cipherOf(config: Record<string, unknown>): FieldCipher {
  const ring = parseKeyRing(config);
  if (!ring) throw new Error('the identity harness sets KYC_ENCRYPTION_KEY');
  return new FieldCipher(ring);
}

function fingerprinterOf(config: { KYC_FINGERPRINT_KEY?: string }): DocumentFingerprinter {
  if (!config.KYC_FINGERPRINT_KEY) throw new Error('the identity harness sets KYC_FINGERPRINT_KEY');
  return new DocumentFingerprinter(Buffer.from(config.KYC_FINGERPRINT_KEY, 'base64'));
}
