import { Directive, Field, InputType, ObjectType } from '@nestjs/graphql';
import { GraphQLScalarType, Kind } from 'graphql';

/** Relay-style page info, identical in every subgraph (hence @shareable). */
@ObjectType()
@Directive('@shareable')
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/** Money: a decimal string in major units and an ISO 4217 currency. */
@ObjectType()
@Directive('@shareable')
export class Money {
  @Field()
  amount: string;

  @Field()
  currency: string;
}

@InputType()
export class MoneyInput {
  @Field()
  amount: string;

  @Field()
  currency: string;
}

const DECIMAL = /^-?\d{1,30}(\.\d{1,18})?$/;

/** Token amounts (BTRST, 18 decimals) as decimal strings; never floats. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'A decimal number as a string, e.g. "1234.500000000000000001". Never a float.',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string' || !DECIMAL.test(value)) throw new TypeError('Decimal must be a decimal string, e.g. "12.5"');
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !DECIMAL.test(ast.value)) throw new TypeError('Decimal must be a decimal string, e.g. "12.5"');
    return ast.value;
  },
});
