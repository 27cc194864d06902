import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, subgraphGraphQLModule } from '@talent/platform';
import type { PartnersConfig } from './config';
import { DeliveryQueue } from './deliveries/delivery-queue';
import { ListPartnerDeliveries } from './deliveries/list-partner-deliveries';
import { ReplayPartnerEvents } from './deliveries/replay-partner-events';
import { SendPartnerDelivery } from './deliveries/send-partner-delivery';
import { PublicEventsHandler } from './events/public-events.handler';
import { RecordPublicEvent } from './events/record-public-event';
import { PARTNERS_JOBS } from './jobs';
import { PartnersSchema1737000000000 } from './migrations/1737000000000-partners-schema';
import { ListPartnerNodes } from './nodes/list-partner-nodes';
import { PartnerNodesStore } from './nodes/partner-nodes.store';
import { RegisterPartnerNode } from './nodes/register-partner-node';
import { RotatePartnerNodeSecret } from './nodes/rotate-partner-node-secret';
import { SetPartnerNodeStatus } from './nodes/set-partner-node-status';
import { PARTNERS_RESOLVERS } from './resolvers';
import { SigningSecrets } from './shared/signing-secrets';

export const PARTNERS_MIGRATIONS = [PartnersSchema1737000000000];

/** Use cases (one per folder of its domain: nodes, deliveries, events), their stores, handlers and jobs. */
export const PARTNERS_PROVIDERS = [
  SigningSecrets,
  PartnerNodesStore,
  ListPartnerNodes,
  RegisterPartnerNode,
  RotatePartnerNodeSecret,
  SetPartnerNodeStatus,
  ListPartnerDeliveries,
  ReplayPartnerEvents,
  SendPartnerDelivery,
  DeliveryQueue,
  RecordPublicEvent,
  PublicEventsHandler,
];

@Module({})
export class PartnersModule {
  static register(config: PartnersConfig): DynamicModule {
    return {
      module: PartnersModule,
      imports: [PlatformModule.forService({ config, entities: [], migrations: PARTNERS_MIGRATIONS, jobs: PARTNERS_JOBS }), subgraphGraphQLModule()],
      providers: [...PARTNERS_PROVIDERS, ...PARTNERS_RESOLVERS],
    };
  }
}
