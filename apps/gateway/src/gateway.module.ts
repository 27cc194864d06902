import { randomUUID } from 'node:crypto';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloGatewayDriver, type ApolloGatewayDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Request } from 'express';
import { bearerToken, createLogger, createLoggerModule, JwksTokenVerifier, Metrics, METRICS, MetricsController, traceContextFrom } from '@talent/platform';
import { AuthenticatedDataSource } from './authenticated-data-source';
import { subgraphUrls as resolveSubgraphUrls, type GatewayConfig } from './config';
import type { GatewayContext } from './gateway-context';
import { GATEWAY_STATE, type GatewayState } from './gateway-state';
import { HealthController } from './health.controller';
import { loadSupergraph } from './supergraph';

@Module({})
export class GatewayModule {
  static register(config: GatewayConfig): DynamicModule {
    const logging = { service: config.SERVICE_NAME, level: config.LOG_LEVEL };
    const log = createLogger(logging);
    const supergraph = loadSupergraph(config.SUPERGRAPH_PATH);
    const subgraphUrls = resolveSubgraphUrls(supergraph.urls);
    const state: GatewayState = { schemaLoaded: false, subgraphUrls };
    const verifier = JwksTokenVerifier.remote(config.JWKS_URL, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
    const development = config.NODE_ENV !== 'production';

    // Depth, cost, alias and token limits, checked before any subgraph is called.
    const armor = new ApolloArmor({
      maxDepth: { n: config.MAX_QUERY_DEPTH, ignoreIntrospection: true },
      costLimit: { maxCost: config.MAX_QUERY_COST, ignoreIntrospection: true },
      maxAliases: { n: config.MAX_QUERY_ALIASES },
      maxTokens: { n: config.MAX_QUERY_TOKENS },
      maxDirectives: { n: 20 },
      blockFieldSuggestion: { enabled: !development },
    }).protect();

    return {
      module: GatewayModule,
      imports: [
        createLoggerModule(logging),
        GraphQLModule.forRoot<ApolloGatewayDriverConfig>({
          driver: ApolloGatewayDriver,
          server: {
            path: '/graphql',
            playground: false,
            introspection: development,
            csrfPrevention: true,
            includeStacktraceInErrorResponses: false,
            allowBatchedHttpRequests: false,
            validationRules: armor.validationRules,
            // Cast: Apollo ships ESM and CJS typings, and the two HeaderMap declarations differ nominally.
            plugins: [
              ...armor.plugins,
              ...(development ? [ApolloServerPluginLandingPageLocalDefault({ embed: true })] : []),
              {
                async serverWillStart() {
                  state.schemaLoaded = true;
                  log.info({ subgraphs: subgraphUrls }, 'supergraph loaded');
                },
              },
            ] as unknown as NonNullable<ApolloGatewayDriverConfig['server']>['plugins'],
            context: async ({ req }: { req: Request }): Promise<GatewayContext> => {
              const token = bearerToken(req.headers.authorization);
              const user = await verifier.verify(token);
              return {
                user,
                token: user ? token : undefined,
                requestId: String(req.id ?? req.headers['x-request-id'] ?? randomUUID()),
                traceparent: traceContextFrom(req.headers.traceparent).traceparent,
                clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
              };
            },
          },
          gateway: {
            supergraphSdl: supergraph.sdl,
            buildService: ({ name, url }) => new AuthenticatedDataSource({ url: subgraphUrls[name] ?? url }),
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: GATEWAY_STATE, useValue: state },
        { provide: METRICS, useValue: new Metrics(config.SERVICE_NAME) },
      ],
    };
  }
}
