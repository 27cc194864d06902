import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum PartnerNodeStatusEnum {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}
registerEnumType(PartnerNodeStatusEnum, {
  name: 'PartnerNodeStatus',
  valuesMap: {
    ACTIVE: { description: 'Receives the events it chose, as signed webhooks.' },
    DISABLED: { description: 'Receives nothing; its pending deliveries are dead-lettered. Enabling it again resumes new events (replay the gap).' },
  },
});

@ObjectType('PartnerNode', { description: 'A partner node receiving public events as Standard Webhooks. ADMIN only.' })
export class PartnerNodeModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  webhookUrl: string;

  @Field(() => [String], { description: 'Event types delivered, e.g. job.posted, reward.granted' })
  eventTypes: string[];

  @Field(() => Date)
  createdAt: Date;

  @Field(() => PartnerNodeStatusEnum)
  status: PartnerNodeStatusEnum;

  @Field(() => Date, { nullable: true, description: 'When the signing secret was last rotated; null if never.' })
  secretRotatedAt: Date | null;
}

@ObjectType('PartnerNodeRegistration')
export class PartnerNodeRegistrationModel {
  @Field(() => PartnerNodeModel)
  node: PartnerNodeModel;

  @Field({ description: 'Shown once: signs every webhook delivery (HMAC-SHA256).' })
  signingSecret: string;
}

@InputType('RegisterPartnerNodeInput')
export class RegisterPartnerNodeInput {
  @Field()
  name: string;

  @Field()
  webhookUrl: string;

  @Field(() => [String])
  eventTypes: string[];
}
