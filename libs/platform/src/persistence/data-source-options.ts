import type { Logger } from 'pino';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { createLogger } from '../logging/logger.module';
import { MessagingMigration1732500000000 } from '../messaging/messaging.migration';
import { OutboxParkingMigration1732500000001 } from '../messaging/outbox-parking.migration';
import { InboxRecord } from '../messaging/inbox.entity';
import { OutboxRecord } from '../messaging/outbox.entity';
import { TransactionHooksSubscriber } from './transaction-hooks';
import { PinoTypeOrmLogger } from './typeorm-logger';

export interface PersistenceOptions {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  poolSize?: number;
  applicationName?: string;
  /** Where TypeORM logs (failed statements by code and constraint, migrations); a warn-level logger when absent. */
  logger?: Logger;
}

/**
 * One PostgreSQL database per service, changed only by migrations, which run at start
 * (each in its own transaction). The outbox and inbox tables come with every service.
 */
export function dataSourceOptions(options: PersistenceOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: [...(options.entities as unknown[]), OutboxRecord, InboxRecord] as DataSourceOptions['entities'],
    migrations: [MessagingMigration1732500000000, OutboxParkingMigration1732500000001, ...options.migrations],
    subscribers: [TransactionHooksSubscriber],
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Through pino, and never a statement's text or parameters (see PinoTypeOrmLogger).
    logger: new PinoTypeOrmLogger(options.logger ?? createLogger({ service: options.applicationName ?? 'typeorm', level: process.env.LOG_LEVEL ?? 'warn' })),
    // JIT off: these are short OLTP statements, and a batch query whose cost estimate crosses
    // jit_above_cost would spend ~100 ms compiling to save microseconds (seen in bench:ledger).
    extra: { max: options.poolSize ?? 10, application_name: options.applicationName, options: '-c jit=off' },
  };
}
