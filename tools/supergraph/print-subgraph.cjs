// Prints one subgraph's SDL without starting the service: its resolvers are built in a
// testing module whose dependencies are auto-mocked, so no database, Redis or Kafka is needed.
// Runs in its own process: two subgraphs' type metadata in one process would collide.
// Usage: node tools/supergraph/print-subgraph.cjs <app> <out-file>
require('reflect-metadata');
const { writeFileSync } = require('node:fs');
const path = require('node:path');

async function main() {
  const [app, outFile] = process.argv.slice(2);
  const { Test } = require('@nestjs/testing');
  const { GraphQLModule, GraphQLSchemaHost } = require('@nestjs/graphql');
  const { ApolloFederationDriver } = require('@nestjs/apollo');
  const { printSubgraphSchema } = require('@apollo/subgraph');
  const { subgraphSchemaOptions } = require('@talent/platform');
  const { SUBGRAPH } = require(path.resolve(__dirname, '../../apps', app, 'dist/subgraph.js'));

  const moduleRef = await Test.createTestingModule({
    imports: [
      GraphQLModule.forRoot({
        driver: ApolloFederationDriver,
        ...subgraphSchemaOptions({ orphanedTypes: SUBGRAPH.orphanedTypes }),
      }),
    ],
    providers: SUBGRAPH.resolvers,
  })
    .useMocker(() => ({}))
    .setLogger(false)
    .compile();
  await moduleRef.init();
  const { schema } = moduleRef.get(GraphQLSchemaHost);
  writeFileSync(outFile, JSON.stringify({ name: SUBGRAPH.name, url: SUBGRAPH.url, sdl: printSubgraphSchema(schema) }));
  await moduleRef.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
