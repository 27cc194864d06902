import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum PartnerDeliveryStatusEnum {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  DEAD = 'DEAD',
}
registerEnumType(PartnerDeliveryStatusEnum, {
  name: 'PartnerDeliveryStatus',
  valuesMap: {
    PENDING: { description: 'Not delivered yet: queued, or failed and waiting for its next attempt (exponential backoff).' },
    DELIVERED: { description: 'The node answered 2xx.' },
    DEAD: { description: 'Dead-lettered: every attempt failed (see lastError), or the node was disabled. Replay to send it again.' },
  },
});

@ObjectType('PartnerDelivery', { description: 'One event sent (or being sent) to one partner node. ADMIN only.' })
export class PartnerDeliveryModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  nodeId: string;

  @Field(() => ID, { description: 'The event id: the webhook-id header of every attempt.' })
  eventId: string;

  @Field()
  eventType: string;

  @Field(() => Date)
  occurredAt: Date;

  @Field(() => PartnerDeliveryStatusEnum)
  status: PartnerDeliveryStatusEnum;

  @Field(() => Int)
  attempts: number;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (e.g. "HTTP 503", "connection failed (ECONNREFUSED)").' })
  lastError: string | null;

  @Field(() => Int, { nullable: true })
  lastStatusCode: number | null;

  @Field(() => Date, { nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;

  @Field({ description: 'True for a delivery made by replayPartnerEvents.' })
  replay: boolean;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType('PartnerReplay', { description: 'What replayPartnerEvents scheduled.' })
export class PartnerReplayModel {
  @Field(() => ID)
  replayId: string;

  @Field(() => ID)
  nodeId: string;

  @Field(() => Date)
  since: Date;

  @Field(() => Int, { description: "Deliveries scheduled: the kept public events of the node's types that occurred at or after `since`, oldest first." })
  scheduled: number;

  @Field(() => Date, { nullable: true, description: 'Set when more events remain than one replay sends (PARTNER_REPLAY_MAX_EVENTS): replay again from here.' })
  continueFrom: Date | null;
}
