import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { MessagingService } from '../messaging/messaging.service';
import { REDIS } from '../redis/redis.provider';

/** Liveness (`/health`: the process answers) and readiness (`/ready`: PostgreSQL, Redis and Kafka answer). */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly messaging: MessagingService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get('health')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 2000 }),
      async () => {
        const indicator = this.indicators.check('redis');
        try {
          return (await this.redis.ping()) === 'PONG' ? indicator.up() : indicator.down();
        } catch {
          return indicator.down({ message: 'unreachable' });
        }
      },
      async () => {
        const indicator = this.indicators.check('kafka');
        return (await this.messaging.isKafkaReachable()) ? indicator.up() : indicator.down({ message: 'unreachable' });
      },
    ]);
  }
}
