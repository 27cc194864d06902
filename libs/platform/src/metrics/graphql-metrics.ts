import type { ApolloServerPlugin } from '@apollo/server';
import { getOperationAST } from 'graphql';
import { Histogram, type Registry } from 'prom-client';
import { BoundedLabel } from './bounded-label';

export const GRAPHQL_OPERATION_DURATION = 'graphql_operation_duration_seconds';

/** A GraphQL name (https://spec.graphql.org/October2021/#Name), not too long for a label. */
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

export interface GraphQLMetricsOptions {
  /** Distinct operation names with their own series; later ones are labelled "other". */
  maxOperations?: number;
}

/**
 * An Apollo Server plugin timing every GraphQL request, from its start to its response, into
 * `graphql_operation_duration_seconds{operation, type, outcome}`: `operation` is the operation
 * name ("anonymous" without one), `type` query, mutation or subscription ("unknown" when the
 * document did not parse), `outcome` "error" when the response carries any error.
 */
export function graphqlMetricsPlugin(registry: Registry, options: GraphQLMetricsOptions = {}): ApolloServerPlugin {
  const duration = operationDuration(registry);
  const operations = new BoundedLabel(options.maxOperations ?? 100, ['anonymous']);
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(context) {
          // A document that parsed but failed validation still names its operation: worth seeing.
          const operation = context.operation ?? (context.document ? getOperationAST(context.document, context.request.operationName) : null);
          const name = operation?.name?.value;
          duration.observe(
            {
              operation: operations.of(name && OPERATION_NAME.test(name) ? name : 'anonymous'),
              type: operation?.operation ?? 'unknown',
              outcome: context.errors?.length ? 'error' : 'ok',
            },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
        },
      };
    },
  };
}

/** One histogram per registry, even when the GraphQL module is built again (tests, reloads). */
function operationDuration(registry: Registry): Histogram<'operation' | 'type' | 'outcome'> {
  const existing = registry.getSingleMetric(GRAPHQL_OPERATION_DURATION);
  if (existing) return existing as Histogram<'operation' | 'type' | 'outcome'>;
  return new Histogram({
    name: GRAPHQL_OPERATION_DURATION,
    help: 'GraphQL requests by operation name, operation type and outcome (ok, error)',
    labelNames: ['operation', 'type', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}
