import { Query, Resolver } from '@nestjs/graphql';
import { GovernanceParameterModel } from './governance-parameter.model';
import { GovernanceParameters } from './governance-parameters';

/** `governanceParameters`: public (the rules of the network are for everyone to read). */
@Resolver(() => GovernanceParameterModel)
export class GovernanceParametersResolver {
  constructor(private readonly parameters: GovernanceParameters) {}

  @Query(() => [GovernanceParameterModel], {
    description: 'Every governed network parameter: its value in force, since when, and the proposal that set it (null for the default).',
  })
  async governanceParameters(): Promise<GovernanceParameterModel[]> {
    return (await this.parameters.rows()).map((row) =>
      Object.assign(new GovernanceParameterModel(), { key: row.key, value: row.value, updatedAt: row.updatedAt, proposalId: row.proposalId }),
    );
  }
}
