/**
 * Imported first by every service's main.ts (`import '@talent/platform/tracing/register'`),
 * before express, pg, ioredis or graphql are required, so that their instrumentations patch
 * them on load. Unless an OTLP endpoint is configured (see `tracingEnabled`) it loads nothing more.
 */
import { tracingEnabled } from './enablement';

if (tracingEnabled(process.env)) {
  // Required only when on, and synchronously: the SDK must be running before main.ts goes on.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./tracing') as typeof import('./tracing')).startTracing(process.env);
}
