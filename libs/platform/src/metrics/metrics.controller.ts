import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Metrics } from './metrics';

export const METRICS = Symbol('METRICS');

/** `GET /metrics` in the Prometheus text format. */
@Controller()
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: Metrics) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
