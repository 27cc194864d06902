import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { KycApproved, PayloadOf } from '@talent/events';
import { APP_CONFIG, type BaseConfig } from '../../config';
import { PreconditionFailedError } from '../../errors';
import { isUuid } from '../../validation';
import { awaitProjection } from '../await-projection';

export type MemberApproval = PayloadOf<typeof KycApproved>;

export const MEMBERSHIP_OPTIONS = Symbol('talent:membership-options');

export interface MembershipOptions {
  /**
   * What a service keeps per member beyond the common columns, taken from the approval:
   * column name -> value. The columns come from the service's own migration and entity.
   */
  extraColumns?: (approval: MemberApproval) => Record<string, unknown>;
}

/** The one UUID rule of the projection: lower case on the way in and in every comparison. */
export const normalizeUuid = (id: string): string => id.toLowerCase();

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * The `members` projection of identity's KycApproved: who is a member (KYC approved) and since
 * when, as a consuming service knows it. Writes run in the caller's transaction (the consumer's,
 * with its inbox row); reads take the transaction of the use case asking.
 */
@Injectable()
export class MembershipProjection {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: Pick<BaseConfig, 'PROJECTION_WAIT_MS'>,
    @Optional() @Inject(MEMBERSHIP_OPTIONS) private readonly options: MembershipOptions = {},
  ) {}

  /** Records the member; a replayed or repeated approval changes nothing (the first one stays). */
  async record(tx: EntityManager, approval: MemberApproval): Promise<void> {
    const extra = Object.entries(this.options.extraColumns?.(approval) ?? {});
    for (const [name] of extra) {
      if (!IDENTIFIER.test(name)) throw new Error(`members: "${name}" is not a plain column name`);
    }
    const columns = ['user_id', 'kyc_case_id', 'approved_at', ...extra.map(([name]) => name)];
    const values = [normalizeUuid(approval.userId), normalizeUuid(approval.caseId), approval.approvedAt, ...extra.map(([, value]) => value)];
    await tx.query(
      `INSERT INTO members (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (user_id) DO NOTHING`,
      values,
    );
  }

  /** Whether the user is a member; an id that is no UUID names nobody. */
  async isMember(tx: EntityManager, userId: string): Promise<boolean> {
    return (await this.memberSince(tx, userId)) !== null;
  }

  /** When the user's KYC was approved; null for a non-member. */
  async memberSince(tx: EntityManager, userId: string): Promise<Date | null> {
    if (!isUuid(userId)) return null;
    const [row] = (await tx.query(`SELECT approved_at FROM members WHERE user_id = $1`, [normalizeUuid(userId)])) as Array<{ approved_at: Date }>;
    return row?.approved_at ?? null;
  }

  /** Whether the user was a member at `at` (approved at or before it), e.g. at a vote's snapshot. */
  async wasMemberAt(tx: EntityManager, userId: string, at: Date): Promise<boolean> {
    if (!isUuid(userId)) return false;
    // Compared in SQL: approved_at keeps microseconds that a Date would drop.
    const rows: unknown[] = await tx.query(`SELECT 1 FROM members WHERE user_id = $1 AND approved_at <= $2`, [normalizeUuid(userId), at]);
    return rows.length > 0;
  }

  /** PRECONDITION_FAILED unless the user is a member; `action` completes "Only members (KYC approved) may ...". */
  async requireMember(tx: EntityManager, userId: string, action: string): Promise<void> {
    if (!(await this.isMember(tx, userId))) throw new PreconditionFailedError(`Only members (KYC approved) may ${action}`);
  }

  /**
   * Locks the member's row until the transaction ends, to serialise a member's read-then-write
   * use cases; returns whether they are a member (a non-member has no row to lock).
   */
  async lock(tx: EntityManager, userId: string): Promise<boolean> {
    if (!isUuid(userId)) return false;
    const rows: unknown[] = await tx.query(`SELECT 1 FROM members WHERE user_id = $1 FOR UPDATE`, [normalizeUuid(userId)]);
    return rows.length > 0;
  }

  /**
   * Projection lag: a user approved a moment ago in identity reaches this service through Kafka.
   * Waits for them a bounded time (PROJECTION_WAIT_MS), outside any transaction, so that the command
   * following an approval is not refused; the check inside the use case's transaction then decides.
   */
  async waitUntilMember(userId: string): Promise<boolean> {
    return awaitProjection(() => this.isMember(this.dataSource.manager, userId), { timeoutMs: this.config.PROJECTION_WAIT_MS });
  }
}
