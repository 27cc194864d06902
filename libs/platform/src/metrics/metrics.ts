import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one process (prom-client): Node's runtime metrics, HTTP request
 * durations by route and status, and gauges a service registers (e.g. the outbox backlog).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }

  /** Express middleware timing every request except the scrape and the probes. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (req.path === '/metrics' || req.path === '/health' || req.path === '/ready') return next();
    const end = this.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: req.route?.path ?? req.path, status: String(res.statusCode) }));
    next();
  };

  /** A gauge read at scrape time. */
  gauge(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }
}
