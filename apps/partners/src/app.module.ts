import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, subgraphGraphQLModule } from '@talent/platform';
import type { PartnersConfig } from './config';
import { DeliverToPartnerJob } from './deliveries/deliver-to-partner';
import { DeliveryQueue } from './deliveries/delivery-queue';
import { PartnerDeliveriesReader } from './deliveries/partner-deliveries.reader';
import { ReplayPartnerEvents } from './deliveries/replay-partner-events';
import { PublicEventsHandler } from './events/public-events.handler';
import { PARTNERS_JOBS } from './jobs';
import { PartnersSchema1737000000000 } from './migrations/1737000000000-partners-schema';
import { ManagePartnerNode } from './nodes/manage-partner-node';
import { PartnerNodesStore } from './nodes/partner-nodes.store';
import { RegisterPartnerNode } from './nodes/register-partner-node';
import { PARTNERS_RESOLVERS } from './resolvers';
import { SigningSecrets } from './shared/signing-secrets';

export const PARTNERS_MIGRATIONS = [PartnersSchema1737000000000];

/** Services, use cases, event handlers and jobs of the partners service. */
export const PARTNERS_PROVIDERS = [
  SigningSecrets,
  PartnerNodesStore,
  RegisterPartnerNode,
  ManagePartnerNode,
  PublicEventsHandler,
  DeliveryQueue,
  DeliverToPartnerJob,
  PartnerDeliveriesReader,
  ReplayPartnerEvents,
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
