import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, UseCaseCtx, type UseCaseContext } from '@talent/platform';
import { ListPartnerDeliveries } from '../deliveries/list-partner-deliveries';
import { PartnerDeliveryModel, PartnerDeliveryStatusEnum, PartnerReplayModel } from '../deliveries/partner-delivery.model';
import { ReplayPartnerEvents } from '../deliveries/replay-partner-events';
import { ListPartnerNodes } from './list-partner-nodes';
import { PartnerNodeModel, PartnerNodeRegistrationModel, RegisterPartnerNodeInput, PartnerNodeStatusEnum } from './partner-node.model';
import { toPartnerNodeModel } from './partner-nodes.store';
import { RegisterPartnerNode } from './register-partner-node';
import { RotatePartnerNodeSecret } from './rotate-partner-node-secret';
import { SetPartnerNodeStatus } from './set-partner-node-status';

/** Partner nodes and their webhook deliveries: every field is ADMIN only (the use cases check it). */
@Resolver(() => PartnerNodeModel)
export class PartnerNodesResolver {
  constructor(
    private readonly listNodes: ListPartnerNodes,
    private readonly registerNode: RegisterPartnerNode,
    private readonly rotateSecret: RotatePartnerNodeSecret,
    private readonly setStatus: SetPartnerNodeStatus,
    private readonly listDeliveries: ListPartnerDeliveries,
    private readonly replay: ReplayPartnerEvents,
  ) {}

  @Query(() => [PartnerNodeModel], { description: 'ADMIN. Every partner node, newest first.' })
  @Authenticated()
  async partnerNodes(@UseCaseCtx() ctx: UseCaseContext): Promise<PartnerNodeModel[]> {
    return (await this.listNodes.execute(ctx)).map(toPartnerNodeModel);
  }

  @Query(() => [PartnerDeliveryModel], {
    description: "ADMIN. A node's deliveries, newest first, optionally by status (1 to 200). NOT_FOUND for an unknown node.",
  })
  @Authenticated()
  async partnerDeliveries(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('nodeId', { type: () => ID }) nodeId: string,
    @Args('status', { type: () => PartnerDeliveryStatusEnum, nullable: true }) status: PartnerDeliveryStatusEnum | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
  ): Promise<PartnerDeliveryModel[]> {
    return this.listDeliveries.execute(ctx, { nodeId, status: status ?? null, first });
  }

  @Mutation(() => PartnerNodeRegistrationModel, {
    description:
      'ADMIN. Registers a node: a unique name (CONFLICT), an https:// webhook URL to a public address, and event types among job.posted, job.closed, invoice.paid, reward.granted, proposal.decided (BAD_USER_INPUT otherwise). The signing secret is shown only here.',
  })
  @Authenticated()
  async registerPartnerNode(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('input', { type: () => RegisterPartnerNodeInput }) input: RegisterPartnerNodeInput,
  ): Promise<PartnerNodeRegistrationModel> {
    const { node, signingSecret } = await this.registerNode.execute(ctx, input);
    return { node: toPartnerNodeModel(node), signingSecret };
  }

  @Mutation(() => PartnerNodeRegistrationModel, {
    description:
      'ADMIN. A new signing secret, shown only here; the previous one keeps signing beside it for a grace period (PARTNER_SECRET_ROTATION_GRACE_HOURS).',
  })
  @Authenticated()
  async rotatePartnerNodeSecret(@UseCaseCtx() ctx: UseCaseContext, @Args('nodeId', { type: () => ID }) nodeId: string): Promise<PartnerNodeRegistrationModel> {
    const { node, signingSecret } = await this.rotateSecret.execute(ctx, { nodeId });
    return { node: toPartnerNodeModel(node), signingSecret };
  }

  @Mutation(() => PartnerNodeModel, { description: 'ADMIN. Stops deliveries to the node; its pending ones are dead-lettered.' })
  @Authenticated()
  async disablePartnerNode(@UseCaseCtx() ctx: UseCaseContext, @Args('nodeId', { type: () => ID }) nodeId: string): Promise<PartnerNodeModel> {
    return toPartnerNodeModel(await this.setStatus.execute(ctx, { nodeId, status: PartnerNodeStatusEnum.DISABLED }));
  }

  @Mutation(() => PartnerNodeModel, { description: 'ADMIN. Resumes deliveries of new events to the node (replay what it missed).' })
  @Authenticated()
  async enablePartnerNode(@UseCaseCtx() ctx: UseCaseContext, @Args('nodeId', { type: () => ID }) nodeId: string): Promise<PartnerNodeModel> {
    return toPartnerNodeModel(await this.setStatus.execute(ctx, { nodeId, status: PartnerNodeStatusEnum.ACTIVE }));
  }

  @Mutation(() => PartnerReplayModel, {
    description:
      'ADMIN. Sends the node again every kept public event of its types that occurred at or after `since` (PRECONDITION_FAILED for a disabled node; BAD_USER_INPUT for a future date).',
  })
  @Authenticated()
  async replayPartnerEvents(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('nodeId', { type: () => ID }) nodeId: string,
    @Args('since', { type: () => Date }) since: Date,
  ): Promise<PartnerReplayModel> {
    return this.replay.execute(ctx, { nodeId, since });
  }
}
