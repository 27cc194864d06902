import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  APP_CONFIG,
  callerOf,
  ConflictError,
  inUseCaseTransaction,
  isUniqueViolation,
  parseCommand,
  ROOT_LOGGER,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import type { Logger } from 'pino';
import type { PartnersConfig } from '../config';
import { DELIVERABLE_EVENT_TYPES } from '../shared/public-events';
import { newSigningSecret, SigningSecrets } from '../shared/signing-secrets';
import { webhookUrlProblem } from '../shared/webhook-address';
import { assertAdmin } from './admin-only';
import type { PartnerNodeRow } from './partner-nodes.store';

export const eventTypesSchema = z
  .array(z.string().trim())
  .min(1, 'choose at least one event type')
  .max(DELIVERABLE_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)].sort())
  .refine((types) => types.every((t) => DELIVERABLE_EVENT_TYPES.includes(t)), {
    message: `each must be one of: ${DELIVERABLE_EVENT_TYPES.join(', ')}`,
  });

export const webhookUrlSchema = (allowPrivate: boolean) =>
  z
    .string()
    .trim()
    .superRefine((url, ctx) => {
      const problem = webhookUrlProblem(url, allowPrivate);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/**
 * Use case: register a partner node (ADMIN). Its signing secret is generated here, returned
 * once, and stored only encrypted. From now on the node receives the chosen event types;
 * earlier events are for `replayPartnerEvents`.
 */
@Injectable()
export class RegisterPartnerNode implements UseCase<unknown, { node: PartnerNodeRow; signingSecret: string }> {
  private readonly command;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SigningSecrets,
    @Inject(APP_CONFIG) config: PartnersConfig,
    @Inject(ROOT_LOGGER) private readonly log: Logger,
  ) {
    this.command = z.object({
      name: z.string().trim().min(2, 'must be 2 to 100 characters').max(100, 'must be 2 to 100 characters'),
      webhookUrl: webhookUrlSchema(config.PARTNER_WEBHOOK_ALLOW_PRIVATE),
      eventTypes: eventTypesSchema,
    });
  }

  async execute(ctx: UseCaseContext, input: unknown): Promise<{ node: PartnerNodeRow; signingSecret: string }> {
    const caller = assertAdmin(callerOf(ctx));
    const command = parseCommand(this.command, input);
    const id = randomUUID();
    const signingSecret = newSigningSecret();
    const node = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      try {
        const [row] = await tx.query(
          `INSERT INTO partner_nodes (id, name, webhook_url, event_types, signing_secret, created_by)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [id, command.name, command.webhookUrl, command.eventTypes, this.secrets.seal(id, signingSecret), caller.id.toLowerCase()],
        );
        return row as PartnerNodeRow;
      } catch (error) {
        if (isUniqueViolation(error, 'partner_nodes_name_key')) throw new ConflictError(`A partner node named "${command.name}" exists`);
        throw error;
      }
    });
    this.log.info({ nodeId: id, eventTypes: command.eventTypes, by: caller.id }, 'partner node registered');
    return { node, signingSecret };
  }
}
