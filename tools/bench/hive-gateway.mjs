// Hive Gateway (@graphql-hive/gateway, a dev dependency used only by `bench:gateway`) on the same
// supergraph file as ours: forwards the caller's Authorization header and signs every subgraph
// request as our gateway does, so the subgraphs do the same work behind both.
// Env: SUPERGRAPH_PATH, PORT, GATEWAY_SECRET, SUBGRAPH_<NAME>_URL (as our gateway reads them). /ready answers as our services' does.
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGatewayRuntime } from '@graphql-hive/gateway';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { GATEWAY_SIGNATURE_HEADER, signGatewayRequest } = await import(path.join(root, 'libs/platform/dist/index.js'));
const secret = process.env.GATEWAY_SECRET;

const transportEntries = Object.fromEntries(
  Object.entries(process.env)
    .filter(([key]) => /^SUBGRAPH_\w+_URL$/.test(key))
    .map(([key, location]) => [key.slice('SUBGRAPH_'.length, -'_URL'.length).toLowerCase(), { location }]),
);

const gateway = createGatewayRuntime({
  supergraph: process.env.SUPERGRAPH_PATH,
  transportEntries,
  logging: 'error',
  landingPage: false,
  graphiql: false,
  propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }) },
  plugins: () => [
    {
      onFetch({ options, setOptions }) {
        if (secret && typeof options.body === 'string') {
          setOptions({ ...options, headers: { ...options.headers, [GATEWAY_SIGNATURE_HEADER]: signGatewayRequest(secret, options.body) } });
        }
      },
    },
  ],
});

const server = createServer((req, res) => {
  if (req.url === '/ready') req.url = '/readiness';
  return gateway(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '0.0.0.0');
process.once('SIGTERM', () => server.close(() => void gateway.dispose().finally(() => process.exit(0))));
