import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ServiceDependencies } from './service-dependencies';

/**
 * `/health` (liveness): the process answers; 200 with the last known state of PostgreSQL,
 * Redis and Kafka as details, whatever it is. `/ready` (readiness): the service can serve its
 * own reads and writes, i.e. its database answers. Kafka or Redis trouble does not make it
 * unready: the outbox keeps events until the broker is back (see `dependency_up`).
 */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly dependencies: ServiceDependencies,
  ) {}

  @Get('health')
  live() {
    return { status: 'ok', details: this.dependencies.snapshot() };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.db.pingCheck('postgres', { timeout: 2000 })]);
  }
}
