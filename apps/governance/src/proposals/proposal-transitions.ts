import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { ProposalDefeated, ProposalQueued } from '@talent/events';
import { EventPublisher, ROOT_LOGGER } from '@talent/platform';
import { GovernanceParameters } from '../parameters/governance-parameters';
import { publishDecided, tallyOf } from './proposal-events';
import { ProposalRecord } from './proposal.entity';
import { dueTransition, succeeded } from './proposal-state';

/** A whole number of seconds from a parameter's value. */
export const secondsOf = (value: string, key: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`parameter ${key} is not a whole number of seconds: ${value}`);
  return n;
};

/**
 * The timed transitions of the proposal state machine (proposal-state.ts), applied inside the
 * caller's transaction on a proposal row the caller has locked. Every step re-checks the stored
 * status and the time, so running it twice, late, or from several places (a delayed job, the
 * sweep, a vote that finds the voting period over) applies each transition exactly once.
 */
@Injectable()
export class ProposalTransitions {
  private readonly log: Logger;

  constructor(
    private readonly parameters: GovernanceParameters,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'proposal-transitions' });
  }

  /** Locks the proposal's row for the rest of the transaction; null for an unknown id. */
  lock(tx: EntityManager, id: string): Promise<ProposalRecord | null> {
    return tx.getRepository(ProposalRecord).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Applies every transition due at `now`, in order (a restart may find several due); returns the proposal as now stored. */
  async advance(tx: EntityManager, proposal: ProposalRecord, now: Date): Promise<ProposalRecord> {
    let p = proposal;
    for (let due = dueTransition(p, now); due; due = dueTransition(p, now)) {
      if (due === 'start') p = await this.patch(tx, p, { status: 'ACTIVE' }, now);
      else if (due === 'end') p = await this.end(tx, p, now);
      else p = await this.expire(tx, p, now);
      this.log.info({ proposalId: p.id, status: p.status }, 'proposal transition');
    }
    return p;
  }

  /** Voting ended: queued for the timelock when it succeeded, defeated otherwise. */
  private async end(tx: EntityManager, p: ProposalRecord, now: Date): Promise<ProposalRecord> {
    if (!succeeded(p)) {
      const defeated = await this.patch(tx, p, { status: 'DEFEATED', decidedAt: now }, now);
      await this.events.publish(tx, ProposalDefeated, { proposalId: p.id, ...tallyOf(p), defeatedAt: now.toISOString() });
      await publishDecided(tx, this.events, defeated, 'DEFEATED', now);
      return defeated;
    }
    const timelock = secondsOf(await this.parameters.get(tx, 'governance.timelockSeconds'), 'governance.timelockSeconds');
    const grace = secondsOf(await this.parameters.get(tx, 'governance.gracePeriodSeconds'), 'governance.gracePeriodSeconds');
    const executableAt = new Date(now.getTime() + timelock * 1000);
    // At least a second to execute in, whatever the grace period says.
    const expiresAt = new Date(executableAt.getTime() + Math.max(grace, 1) * 1000);
    const queued = await this.patch(tx, p, { status: 'QUEUED', decidedAt: now, queuedAt: now, executableAt, expiresAt }, now);
    await this.events.publish(tx, ProposalQueued, {
      proposalId: p.id,
      ...tallyOf(p),
      queuedAt: now.toISOString(),
      executableAt: executableAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    await publishDecided(tx, this.events, queued, 'QUEUED', now);
    return queued;
  }

  /** Queued and never executed within the grace period. */
  private async expire(tx: EntityManager, p: ProposalRecord, now: Date): Promise<ProposalRecord> {
    const expired = await this.patch(tx, p, { status: 'EXPIRED' }, now);
    await publishDecided(tx, this.events, expired, 'EXPIRED', now);
    return expired;
  }

  /** Writes `changes` to the locked row and returns the proposal with them. */
  async patch(tx: EntityManager, p: ProposalRecord, changes: Partial<ProposalRecord>, now: Date): Promise<ProposalRecord> {
    const next = Object.assign(new ProposalRecord(), p, changes, { updatedAt: now });
    await tx.getRepository(ProposalRecord).update(p.id, { ...changes, updatedAt: now });
    return next;
  }
}
