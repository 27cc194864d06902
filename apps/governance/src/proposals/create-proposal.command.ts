import { BadUserInputError, charLength, fromUnits, isUuid, toUnits } from '@talent/platform';
import type { ParameterChangeValue } from './proposal.entity';
import type { ProposalKind } from './proposal-state';

/** What createProposal receives (the GraphQL input's shape). */
export interface CreateProposalRequest {
  title: string;
  description: string;
  kind: ProposalKind;
  parameterChanges?: ReadonlyArray<{ key: string; value: string }> | null;
  grant?: { recipientId: string; amount: string } | null;
  votingPeriodSeconds?: number | null;
}

/** A proposal to create, its shape validated (parameter values are checked by GovernanceParameters). */
export interface CreateProposalCommand {
  title: string;
  description: string;
  kind: ProposalKind;
  parameterChanges: ParameterChangeValue[];
  grant: { recipientId: string; amount: string } | null;
  /** Null: the governance.votingPeriodSeconds parameter. */
  votingPeriodSeconds: number | null;
}

export const PROPOSAL_LIMITS = {
  title: [3, 200],
  description: [1, 20_000],
  parameterChanges: [1, 10],
  /** 60 days, the governance.votingPeriodSeconds parameter's maximum. The minimum is GOVERNANCE_MIN_VOTING_PERIOD_SECONDS. */
  maxVotingPeriodSeconds: 60 * 24 * 3600,
} as const;

function text(value: string, field: 'title' | 'description'): string {
  const [min, max] = PROPOSAL_LIMITS[field];
  const trimmed = value.trim();
  const length = charLength(trimmed);
  if (length < min || length > max) throw new BadUserInputError(`${field} must be ${min} to ${max} characters`, field);
  return trimmed;
}

function changesOf(input: CreateProposalRequest['parameterChanges']): ParameterChangeValue[] {
  const changes = (input ?? []).map(({ key, value }) => ({ key: key.trim(), value: value.trim() }));
  const [min, max] = PROPOSAL_LIMITS.parameterChanges;
  if (changes.length < min || changes.length > max)
    throw new BadUserInputError(`a PARAMETER_CHANGE proposal changes ${min} to ${max} parameters`, 'parameterChanges');
  const keys = new Set(changes.map((c) => c.key));
  if (keys.size !== changes.length) throw new BadUserInputError('each parameter may be changed once per proposal', 'parameterChanges');
  return changes;
}

function grantOf(input: CreateProposalRequest['grant']): { recipientId: string; amount: string } {
  if (!input) throw new BadUserInputError('a GRANT proposal needs grant { recipientId amount }', 'grant');
  if (!isUuid(input.recipientId)) throw new BadUserInputError('grant.recipientId must be a user id (UUID)', 'grant.recipientId');
  let units: bigint;
  try {
    units = toUnits(input.amount);
  } catch {
    throw new BadUserInputError('grant.amount must be a decimal string with at most 18 decimals', 'grant.amount');
  }
  if (units <= 0n) throw new BadUserInputError('grant.amount must be positive', 'grant.amount');
  return { recipientId: input.recipientId.toLowerCase(), amount: fromUnits(units) };
}

/** Validates the input's shape: BAD_USER_INPUT naming the field, or a normalised command. */
export function parseCreateProposal(input: CreateProposalRequest, minVotingPeriodSeconds: number): CreateProposalCommand {
  const title = text(input.title, 'title');
  const description = text(input.description, 'description');
  const hasChanges = (input.parameterChanges?.length ?? 0) > 0;
  if (input.kind !== 'PARAMETER_CHANGE' && hasChanges) throw new BadUserInputError(`a ${input.kind} proposal changes no parameters`, 'parameterChanges');
  if (input.kind !== 'GRANT' && input.grant) throw new BadUserInputError(`a ${input.kind} proposal carries no grant`, 'grant');
  const period = input.votingPeriodSeconds ?? null;
  if (period !== null && (!Number.isInteger(period) || period < minVotingPeriodSeconds || period > PROPOSAL_LIMITS.maxVotingPeriodSeconds)) {
    throw new BadUserInputError(
      `votingPeriodSeconds must be between ${minVotingPeriodSeconds} and ${PROPOSAL_LIMITS.maxVotingPeriodSeconds}`,
      'votingPeriodSeconds',
    );
  }
  return {
    title,
    description,
    kind: input.kind,
    parameterChanges: input.kind === 'PARAMETER_CHANGE' ? changesOf(input.parameterChanges) : [],
    grant: input.kind === 'GRANT' ? grantOf(input.grant) : null,
    votingPeriodSeconds: period,
  };
}
