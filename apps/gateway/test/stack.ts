import { randomBytes } from 'node:crypto';
import { startStack, type GraphQLClient, type ServiceProcess, type TestDatabase } from '@talent/testing';

/** The gateway on the real stack (libs/testing `startStack`): identity alone behind it, both as processes. */
export interface GatewayStack {
  db: TestDatabase;
  identity: ServiceProcess;
  gateway: ServiceProcess;
  /** Anonymous client of the gateway's /graphql. */
  api: GraphQLClient;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startGatewayStack(gatewayEnv: Record<string, string> = {}): Promise<GatewayStack> {
  const stack = await startStack({ services: ['identity'], env: { gateway: gatewayEnv } });
  const { db, process: identity, sql } = stack.services.identity;
  return { db, identity, gateway: stack.gateway, api: stack.api, sql, stop: stack.stop };
}

/** Registers a TALENT through the gateway; returns their access token and a client carrying it. */
export async function register(stack: GatewayStack): Promise<{ id: string; accessToken: string; api: GraphQLClient }> {
  const data = await stack.api.data<{ register: { accessToken: string; user: { id: string } } }>(
    `mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }`,
    {
      input: {
        email: `gw-${randomBytes(5).toString('hex')}@example.test`,
        password: 'correct horse battery staple',
        displayName: 'Gateway Tester',
        roles: ['TALENT'],
      },
    },
  );
  const { accessToken, user } = data.register;
  return { id: user.id, accessToken, api: stack.api.withToken(accessToken) };
}
