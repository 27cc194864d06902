import { z } from 'zod';
import { BaseConfigSchema, booleanFromEnv, KeyRingError, parseKeyRing } from '@talent/platform';

export const PartnersConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('partners'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4008),
  /**
   * The key ring that encrypts partner nodes' signing secrets at rest (AES-256-GCM): a secret
   * must be readable to sign (HMAC), so it is encrypted, not hashed. PARTNER_SECRET_KEY is one
   * 32-byte base64 key; PARTNER_SECRET_KEYS (`id:base64,...`) with PARTNER_SECRET_KEY_ID rolls in
   * a new key while secrets written with older ones still decrypt.
   */
  PARTNER_SECRET_KEY: z.string().optional(),
  PARTNER_SECRET_KEYS: z.string().optional(),
  PARTNER_SECRET_KEY_ID: z.string().optional(),
  /**
   * Development and tests only: accept http:// webhook URLs and private or loopback hosts
   * (a receiver on localhost). Off in production, where a webhook URL must be https:// to a
   * public address, checked at registration and again at every delivery (DNS rebinding).
   */
  PARTNER_WEBHOOK_ALLOW_PRIVATE: booleanFromEnv.default(false),
  /** Attempts per delivery before it is dead-lettered (DEAD, with the last error). */
  PARTNER_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(10),
  /** First retry delay; each next one doubles (BullMQ exponential backoff): 10 attempts from 5 s span about 43 minutes. */
  PARTNER_DELIVERY_BACKOFF_MS: z.coerce.number().int().min(10).default(5_000),
  /** How long a partner's endpoint may take to answer one delivery. */
  PARTNER_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** How often a sweep queues deliveries whose job was lost (a crash between commit and queueing). */
  PARTNER_DELIVERY_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** Public events kept for replays, in days; older ones (and their deliveries) are purged daily. */
  PARTNER_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  /** After a secret rotation, deliveries are signed with the old secret too for this long, so a partner can switch without losing one. */
  PARTNER_SECRET_ROTATION_GRACE_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 14)
    .default(24),
  /** Most events one replay may schedule (a longer history is replayed in several calls). */
  PARTNER_REPLAY_MAX_EVENTS: z.coerce.number().int().min(1).default(10_000),
}).superRefine((config, ctx) => {
  try {
    if (!parseKeyRing(config, 'PARTNER_SECRET')) {
      ctx.addIssue({
        code: 'custom',
        path: ['PARTNER_SECRET_KEY'],
        message: 'required: a 32-byte key, base64 (openssl rand -base64 32), or PARTNER_SECRET_KEYS',
      });
    }
  } catch (error) {
    if (!(error instanceof KeyRingError)) throw error;
    ctx.addIssue({ code: 'custom', path: [error.variable], message: error.problem });
  }
});

export type PartnersConfig = z.infer<typeof PartnersConfigSchema>;
