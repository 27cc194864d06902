import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { bearerToken, TokenVerifier } from '../auth/token-verifier';
import { APP_CONFIG, type BaseConfig } from '../config';
import { createGraphQLErrorFormatter } from '../errors';
import { ROOT_LOGGER } from '../logging/root-logger';
import { requestTraceContext } from '../logging/trace-context';
import { graphqlMetricsPlugin } from '../metrics/graphql-metrics';
import type { Metrics } from '../metrics/metrics';
import { METRICS } from '../metrics/metrics.controller';
import type { RequestContext } from './request-context';

export interface SubgraphOptions {
  /** Types not reachable from a resolver that must still be in the schema. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
}

/**
 * The federation-2 subgraph every service serves at /graphql: code-first schema, the
 * caller verified from the bearer token the gateway forwards, errors mapped to the
 * contract's codes, no stack traces.
 */
/** The options that shape a subgraph's schema; shared by the server and by SDL printing (`npm run supergraph`). */
export function subgraphSchemaOptions(options: SubgraphOptions = {}) {
  return {
    path: '/graphql',
    autoSchemaFile: { federation: 2 as const },
    sortSchema: true,
    buildSchemaOptions: { orphanedTypes: options.orphanedTypes ?? [] },
  };
}

export function subgraphGraphQLModule(options: SubgraphOptions = {}) {
  return GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    inject: [TokenVerifier, ROOT_LOGGER, APP_CONFIG, METRICS],
    useFactory: (verifier: TokenVerifier, logger: Logger, config: BaseConfig, metrics: Metrics) => ({
      ...subgraphSchemaOptions(options),
      playground: false,
      // The gateway plans from the supergraph composed offline (tools/supergraph prints each SDL
      // in-process), so nothing needs a subgraph's schema over HTTP in production.
      introspection: config.NODE_ENV !== 'production',
      includeStacktraceInErrorResponses: false,
      // No Apollo Studio here: federated tracing data would only cost time per request.
      plugins: [ApolloServerPluginInlineTraceDisabled() as never, graphqlMetricsPlugin(metrics.registry) as never],
      formatError: createGraphQLErrorFormatter(logger.child({ component: 'graphql' })),
      context: async ({ req }: { req: Request }): Promise<RequestContext> => ({
        req,
        user: await verifier.verify(bearerToken(req.headers.authorization)),
        traceparent: requestTraceContext(req).traceparent,
        clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      }),
    }),
  });
}
