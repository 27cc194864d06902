import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { GovernanceParameterModel } from '../parameters/governance-parameter.model';
import { toProposalModel } from './proposal.mapper';
import { ProposalModel } from './proposal.model';
import { ProposalsReader } from './proposals.reader';

/** `GovernanceParameter.proposal`: the executed proposal that set the value in force; null for the default. */
@Resolver(() => GovernanceParameterModel)
export class ParameterProposalResolver {
  constructor(private readonly reader: ProposalsReader) {}

  @ResolveField(() => ProposalModel, { nullable: true, description: 'The proposal that set it; null for the default.' })
  async proposal(@Parent() parameter: GovernanceParameterModel): Promise<ProposalModel | null> {
    if (!parameter.proposalId) return null;
    const p = await this.reader.byId(parameter.proposalId);
    return p ? toProposalModel(p) : null;
  }
}
