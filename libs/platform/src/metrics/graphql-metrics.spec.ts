import { ApolloServer } from '@apollo/server';
import { type Histogram, Registry } from 'prom-client';
import { graphqlMetricsPlugin, GRAPHQL_OPERATION_DURATION } from './graphql-metrics';

const typeDefs = `
  type Query { hello: String! broken: String! }
  type Mutation { touch: Boolean! }
`;
const resolvers = {
  Query: {
    hello: () => 'world',
    broken: () => {
      throw new Error('boom');
    },
  },
  Mutation: { touch: () => true },
};

/** The histogram's observation count per label set, as Prometheus would read it. */
async function counts(registry: Registry): Promise<Array<Record<string, string | number>>> {
  const metric = await (registry.getSingleMetric(GRAPHQL_OPERATION_DURATION) as Histogram).get();
  return metric.values
    .filter((v) => v.metricName === `${GRAPHQL_OPERATION_DURATION}_count` && v.value > 0)
    .map((v) => ({ ...(v.labels as Record<string, string>), count: v.value }));
}

describe('graphqlMetricsPlugin (on a real Apollo Server)', () => {
  let registry: Registry;
  let server: ApolloServer | undefined;

  const start = async (maxOperations?: number) => {
    registry = new Registry();
    const started = new ApolloServer({ typeDefs, resolvers, plugins: [graphqlMetricsPlugin(registry, { maxOperations })] });
    await started.start();
    server = started;
    return started;
  };

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('times each request by operation name, type and outcome', async () => {
    const server = await start();
    await server.executeOperation({ query: 'query Greeting { hello }' });
    await server.executeOperation({ query: 'query Greeting { hello }' });
    await server.executeOperation({ query: 'mutation Touch { touch }' });
    await server.executeOperation({ query: 'query Broken { broken }' });
    await server.executeOperation({ query: '{ hello }' });
    await server.executeOperation({ query: 'query Typo { helo }' }); // fails validation
    await server.executeOperation({ query: 'query {', operationName: 'not a name!' }); // does not parse

    expect(await counts(registry)).toEqual(
      expect.arrayContaining([
        { operation: 'Greeting', type: 'query', outcome: 'ok', count: 2 },
        { operation: 'Touch', type: 'mutation', outcome: 'ok', count: 1 },
        { operation: 'Broken', type: 'query', outcome: 'error', count: 1 },
        { operation: 'anonymous', type: 'query', outcome: 'ok', count: 1 },
        { operation: 'Typo', type: 'query', outcome: 'error', count: 1 },
        { operation: 'anonymous', type: 'unknown', outcome: 'error', count: 1 },
      ]),
    );
    expect(await counts(registry)).toHaveLength(6);
  });

  it('labels operation names past the cap "other", so a client cannot create series at will', async () => {
    const server = await start(2);
    for (const name of ['First', 'Second', 'Third', 'Fourth', 'First']) await server.executeOperation({ query: `query ${name} { hello }` });

    const byOperation = Object.fromEntries((await counts(registry)).map((c) => [c.operation, c.count]));
    expect(byOperation).toEqual({ First: 2, Second: 1, other: 2 });
  });

  it('shares one histogram when the plugin is built twice on a registry', () => {
    registry = new Registry();
    graphqlMetricsPlugin(registry);
    expect(() => graphqlMetricsPlugin(registry)).not.toThrow();
  });
});
