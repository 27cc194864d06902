import { randomUUID } from 'node:crypto';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloGatewayDriver, type ApolloGatewayDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Request } from 'express';
import {
  bearerToken,
  createLogger,
  createLoggerModule,
  DependencyMonitor,
  graphqlMetricsPlugin,
  JwksTokenVerifier,
  Metrics,
  METRICS,
  MetricsController,
  RedisRevocationList,
  RevocationList,
  requestTraceContext,
} from '@talent/platform';
import { AuthenticatedDataSource } from './authenticated-data-source';
import { subgraphAgents } from './subgraph-fetcher';
import { rateLimitOf, subgraphUrls as resolveSubgraphUrls, type GatewayConfig } from './config';
import { createGatewayErrorFormatter } from './errors/format-gateway-error';
import type { GatewayContext } from './gateway-context';
import { createGatewayRedis, GATEWAY_REDIS, GatewayRedisLifecycle } from './gateway-redis';
import { GATEWAY_STATE, type GatewayState } from './gateway-state';
import { HealthController } from './health.controller';
import { ClientRateLimiter } from './rate-limit/client-rate-limiter';
import { loadSupergraph } from './supergraph';

@Module({})
export class GatewayModule {
  static register(config: GatewayConfig): DynamicModule {
    const logging = { service: config.SERVICE_NAME, level: config.LOG_LEVEL };
    const log = createLogger(logging);
    const supergraph = loadSupergraph(config.SUPERGRAPH_PATH);
    const subgraphUrls = resolveSubgraphUrls(supergraph.urls);
    const metrics = new Metrics(config.SERVICE_NAME);
    const subgraphs = new DependencyMonitor(
      Object.fromEntries(
        Object.entries(subgraphUrls).map(([name, url]) => [name, async () => (await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2000) })).ok]),
      ),
      // Every second while one is down: a gateway often starts before its subgraphs, and their return should show at once.
      { registry: metrics.registry, logger: log.child({ component: 'health' }), downIntervalMs: 1000 },
    );
    subgraphs.start();
    const state: GatewayState = { schemaLoaded: false, subgraphUrls, subgraphs };
    // Revoked tokens (sign-out, disabled account, role taken back) stop here too, from the list identity writes.
    const revocations = RedisRevocationList.fromUrl(config.REDIS_URL, log);
    const verifier = JwksTokenVerifier.remote(config.JWKS_URL, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }, revocations);
    const development = config.NODE_ENV !== 'production';
    // Schema discovery (introspection, the explorer, "did you mean" suggestions) only when asked for.
    const introspection = config.GRAPHQL_INTROSPECTION;
    const redis = createGatewayRedis(config);
    redis.on('error', (err) => log.warn({ err }, 'redis unavailable: rate limits are counted per replica meanwhile'));
    const rateLimiter = new ClientRateLimiter(redis, `${config.REDIS_PREFIX}:rate`, rateLimitOf(config));
    if (!config.GATEWAY_SECRET) log.warn('GATEWAY_SECRET is not set: subgraph requests are not signed (never do this in production)');

    // Depth, cost, alias and token limits, checked before any subgraph is called.
    const agents = subgraphAgents();
    const armor = new ApolloArmor({
      maxDepth: { n: config.MAX_QUERY_DEPTH, ignoreIntrospection: true },
      costLimit: { maxCost: config.MAX_QUERY_COST, ignoreIntrospection: true },
      maxAliases: { n: config.MAX_QUERY_ALIASES },
      maxTokens: { n: config.MAX_QUERY_TOKENS },
      maxDirectives: { n: 20 },
      blockFieldSuggestion: { enabled: !introspection },
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
            introspection,
            csrfPrevention: true,
            includeStacktraceInErrorResponses: false,
            formatError: createGatewayErrorFormatter(log.child({ component: 'graphql' })),
            allowBatchedHttpRequests: false,
            validationRules: armor.validationRules,
            // Cast: Apollo ships ESM and CJS typings, and the two HeaderMap declarations differ nominally.
            plugins: [
              ...armor.plugins,
              // Latency per operation, rejections by the armor included (outcome "error").
              graphqlMetricsPlugin(metrics.registry),
              ...(development && introspection ? [ApolloServerPluginLandingPageLocalDefault({ embed: true })] : [ApolloServerPluginLandingPageDisabled()]),
              // No subgraph sets cache hints: computing a cache policy per request and per subgraph response is wasted work.
              ApolloServerPluginCacheControlDisabled(),
              // Never reports to Apollo's cloud, whatever APOLLO_KEY the environment may hold.
              ApolloServerPluginUsageReportingDisabled(),
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
              const clientIp = req.ip ?? req.socket.remoteAddress ?? 'unknown';
              // Before any planning or subgraph call: past its budget, a client costs one Redis round trip.
              await rateLimiter.consume({ userId: user?.id, clientIp });
              return {
                user,
                token: user ? token : undefined,
                requestId: String(req.id ?? req.headers['x-request-id'] ?? randomUUID()),
                traceparent: requestTraceContext(req).traceparent,
                clientIp,
              };
            },
          },
          gateway: {
            supergraphSdl: supergraph.sdl,
            buildService: ({ name, url }) => new AuthenticatedDataSource({ url: subgraphUrls[name] ?? url, gatewaySecret: config.GATEWAY_SECRET, agents }),
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: GATEWAY_STATE, useValue: state },
        { provide: GATEWAY_REDIS, useValue: redis },
        GatewayRedisLifecycle,
        { provide: METRICS, useValue: metrics },
        { provide: RevocationList, useValue: revocations }, // closed at shutdown
      ],
    };
  }
}
