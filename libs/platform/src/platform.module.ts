import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { RedisRevocationList } from './auth/redis-revocation-list';
import { RevocationList } from './auth/revocation-list';
import { JwksTokenVerifier, TokenVerifier } from './auth/token-verifier';
import { APP_CONFIG, type BaseConfig } from './config';
import { DomainErrorFilter } from './errors/domain-error.filter';
import { HealthController } from './health/health.controller';
import { ServiceDependencies } from './health/service-dependencies';
import { Metrics } from './metrics/metrics';
import { METRICS, MetricsController } from './metrics/metrics.controller';
import { DataSource } from 'typeorm';
import { createLogger, createLoggerModule } from './logging/logger.module';
import { ROOT_LOGGER } from './logging/root-logger';
import { EventPublisher } from './messaging/event-publisher';
import { MessagingService } from './messaging/messaging.service';
import { registerOutboxGauges } from './messaging/outbox-metrics';
import { dataSourceOptions, type PersistenceOptions } from './persistence/data-source-options';
import { JobQueue } from './queues/job-queue';
import { JobQueueHost } from './queues/job-queue.host';
import type { JobDefinition } from './queues/job-catalog';
import { REDIS, redisProvider, RedisShutdown } from './redis/redis.provider';

export interface PlatformModuleOptions {
  config: BaseConfig;
  entities: PersistenceOptions['entities'];
  migrations: PersistenceOptions['migrations'];
  /** The service's BullMQ job catalog; every job needs exactly one `@ProcessesJob` handler. */
  jobs?: readonly JobDefinition[];
  /** How callers' tokens are verified; defaults to identity's JWKS at `JWKS_URL`, checked against `revocationList`. */
  tokenVerifier?: TokenVerifier;
  /** Tokens revoked before they expire; defaults to the shared list in Redis at `REDIS_URL`. */
  revocationList?: RevocationList;
}

/**
 * Everything a service needs besides its domain: validated config, JSON logs,
 * its PostgreSQL database (migrations at start), Redis, Kafka with outbox and inbox,
 * BullMQ jobs, token verification, `/health` and `/ready`.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService(options: PlatformModuleOptions): DynamicModule {
    const { config } = options;
    const logging = { service: config.SERVICE_NAME, level: config.LOG_LEVEL };
    const rootLogger = createLogger(logging);
    const revocations = options.revocationList ?? RedisRevocationList.fromUrl(config.REDIS_URL, rootLogger);
    const verifier = options.tokenVerifier ?? remoteVerifier(config, revocations);

    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: ROOT_LOGGER, useValue: rootLogger },
      { provide: TokenVerifier, useValue: verifier },
      { provide: RevocationList, useValue: revocations },
      { provide: EventPublisher, useValue: new EventPublisher() },
      redisProvider,
      RedisShutdown,
      MessagingService,
      ServiceDependencies,
      {
        provide: METRICS,
        inject: [DataSource],
        useFactory: (dataSource: DataSource) => {
          const metrics = new Metrics(config.SERVICE_NAME);
          // Events committed but not yet on Kafka (count, oldest age) and parked ones.
          registerOutboxGauges(metrics, dataSource);
          return metrics;
        },
      },
      { provide: APP_FILTER, useClass: DomainErrorFilter },
    ];
    const exported: Array<string | symbol | Provider | (abstract new (...args: never[]) => unknown)> = [
      METRICS,
      APP_CONFIG,
      ROOT_LOGGER,
      TokenVerifier,
      RevocationList,
      EventPublisher,
      REDIS,
      MessagingService,
    ];
    if (options.jobs) {
      providers.push(
        {
          provide: JobQueueHost,
          inject: [DiscoveryService, METRICS],
          useFactory: (discovery: DiscoveryService, metrics: Metrics) =>
            JobQueueHost.create(config, options.jobs ?? [], rootLogger as Logger, discovery, metrics.registry),
        },
        { provide: JobQueue, inject: [JobQueueHost], useFactory: (host: JobQueueHost) => host.queue },
      );
      exported.push(JobQueue);
    }

    return {
      module: PlatformModule,
      global: true,
      imports: [
        createLoggerModule(logging),
        DiscoveryModule,
        TerminusModule.forRoot({ logger: false }),
        TypeOrmModule.forRoot(
          dataSourceOptions({
            url: config.DATABASE_URL,
            entities: options.entities,
            migrations: options.migrations,
            poolSize: config.DATABASE_POOL_SIZE,
            applicationName: config.SERVICE_NAME,
            logger: rootLogger,
          }),
        ),
      ],
      controllers: [HealthController, MetricsController],
      providers,
      exports: exported,
    };
  }
}

function remoteVerifier(config: BaseConfig, revocations: RevocationList): TokenVerifier {
  if (!config.JWKS_URL) throw new Error('Invalid configuration:\n  - JWKS_URL: required to verify access tokens (not set)');
  return JwksTokenVerifier.remote(config.JWKS_URL, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }, revocations);
}
