import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, pageSize, type AuthUser } from '@talent/platform';
import { PartnerDeliveriesReader } from '../deliveries/partner-deliveries.reader';
import { PartnerDeliveryModel, PartnerDeliveryStatusEnum, PartnerReplayModel } from '../deliveries/partner-delivery.model';
import { ReplayPartnerEvents } from '../deliveries/replay-partner-events';
import { assertAdmin } from './admin-only';
import { ManagePartnerNode } from './manage-partner-node';
import { PartnerNodeModel, PartnerNodeRegistrationModel, RegisterPartnerNodeInput, PartnerNodeStatusEnum } from './partner-node.model';
import { PartnerNodesStore, toPartnerNodeModel } from './partner-nodes.store';
import { RegisterPartnerNode } from './register-partner-node';

/** Partner nodes and their webhook deliveries: every field is ADMIN only (the use cases check it). */
@Resolver(() => PartnerNodeModel)
export class PartnerNodesResolver {
  constructor(
    private readonly store: PartnerNodesStore,
    private readonly register: RegisterPartnerNode,
    private readonly manage: ManagePartnerNode,
    private readonly deliveries: PartnerDeliveriesReader,
    private readonly replay: ReplayPartnerEvents,
  ) {}

  @Query(() => [PartnerNodeModel], { description: 'ADMIN. Every partner node, newest first.' })
  @Authenticated()
  async partnerNodes(@CurrentUser() caller: AuthUser): Promise<PartnerNodeModel[]> {
    assertAdmin(caller);
    return (await this.store.list()).map(toPartnerNodeModel);
  }

  @Query(() => [PartnerDeliveryModel], { description: 'ADMIN. A node\'s deliveries, newest first, optionally by status (1 to 200). NOT_FOUND for an unknown node.' })
  @Authenticated()
  async partnerDeliveries(
    @CurrentUser() caller: AuthUser,
    @Args('nodeId', { type: () => ID }) nodeId: string,
    @Args('status', { type: () => PartnerDeliveryStatusEnum, nullable: true }) status: PartnerDeliveryStatusEnum | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
  ): Promise<PartnerDeliveryModel[]> {
    return this.deliveries.list(caller, nodeId, status ?? null, pageSize(first, 50, 200));
  }

  @Mutation(() => PartnerNodeRegistrationModel, {
    description:
      'ADMIN. Registers a node: a unique name (CONFLICT), an https:// webhook URL to a public address, and event types among job.posted, job.closed, invoice.paid, reward.granted, proposal.decided (BAD_USER_INPUT otherwise). The signing secret is shown only here.',
  })
  @Authenticated()
  async registerPartnerNode(
    @CurrentUser() caller: AuthUser,
    @Args('input', { type: () => RegisterPartnerNodeInput }) input: RegisterPartnerNodeInput,
  ): Promise<PartnerNodeRegistrationModel> {
    const { node, signingSecret } = await this.register.execute(caller, input);
    return { node: toPartnerNodeModel(node), signingSecret };
  }

  @Mutation(() => PartnerNodeRegistrationModel, { description: 'ADMIN. A new signing secret, shown only here; the previous one keeps signing beside it for a grace period (PARTNER_SECRET_ROTATION_GRACE_HOURS).' })
  @Authenticated()
  async rotatePartnerNodeSecret(@CurrentUser() caller: AuthUser, @Args('nodeId', { type: () => ID }) nodeId: string): Promise<PartnerNodeRegistrationModel> {
    const { node, signingSecret } = await this.manage.rotateSecret(caller, nodeId);
    return { node: toPartnerNodeModel(node), signingSecret };
  }

  @Mutation(() => PartnerNodeModel, { description: 'ADMIN. Stops deliveries to the node; its pending ones are dead-lettered.' })
  @Authenticated()
  async disablePartnerNode(@CurrentUser() caller: AuthUser, @Args('nodeId', { type: () => ID }) nodeId: string): Promise<PartnerNodeModel> {
    return toPartnerNodeModel(await this.manage.setStatus(caller, nodeId, PartnerNodeStatusEnum.DISABLED));
  }

  @Mutation(() => PartnerNodeModel, { description: 'ADMIN. Resumes deliveries of new events to the node (replay what it missed).' })
  @Authenticated()
  async enablePartnerNode(@CurrentUser() caller: AuthUser, @Args('nodeId', { type: () => ID }) nodeId: string): Promise<PartnerNodeModel> {
    return toPartnerNodeModel(await this.manage.setStatus(caller, nodeId, PartnerNodeStatusEnum.ACTIVE));
  }

  @Mutation(() => PartnerReplayModel, {
    description: 'ADMIN. Sends the node again every kept public event of its types that occurred at or after `since` (PRECONDITION_FAILED for a disabled node; BAD_USER_INPUT for a future date).',
  })
  @Authenticated()
  async replayPartnerEvents(
    @CurrentUser() caller: AuthUser,
    @Args('nodeId', { type: () => ID }) nodeId: string,
    @Args('since', { type: () => Date }) since: Date,
  ): Promise<PartnerReplayModel> {
    return this.replay.execute(caller, nodeId, since);
  }
}
