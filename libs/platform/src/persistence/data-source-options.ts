import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { MessagingMigration1732500000000 } from '../messaging/messaging.migration';
import { InboxRecord } from '../messaging/inbox.entity';
import { OutboxRecord } from '../messaging/outbox.entity';

export interface PersistenceOptions {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  poolSize?: number;
  applicationName?: string;
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
    migrations: [MessagingMigration1732500000000, ...options.migrations],
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error', 'migration'],
    extra: { max: options.poolSize ?? 10, application_name: options.applicationName },
  };
}
