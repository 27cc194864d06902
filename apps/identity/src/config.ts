import { z } from 'zod';
import { BaseConfigSchema } from '@talent/platform';

export const IdentityConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('identity'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  /** Ed25519 private key (PKCS#8 PEM) that signs access tokens. Required in production; generated per process in development. */
  JWT_PRIVATE_KEY: z.string().optional(),
  /** 32 random bytes, base64: encrypts KYC document numbers, dates of birth and legal names at rest (AES-256-GCM). */
  KYC_ENCRYPTION_KEY: z
    .string()
    .optional()
    .refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
  /**
   * 32 random bytes, base64: keys the HMAC-SHA256 fingerprint of identity documents that
   * finds a second account with a member's document. Its own key, never KYC_ENCRYPTION_KEY;
   * changing it orphans the stored fingerprints.
   */
  KYC_FINGERPRINT_KEY: z
    .string()
    .optional()
    .refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  /** Bootstrap administrator, created (or given ADMIN) at start when both are set. */
  ADMIN_EMAIL: z.email().optional().or(z.literal('').transform(() => undefined)),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional().or(z.literal('').transform(() => undefined)),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(20),
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().positive().default(900),
})
  .refine((c) => c.NODE_ENV !== 'production' || !!c.JWT_PRIVATE_KEY, {
    path: ['JWT_PRIVATE_KEY'],
    message: 'required in production (Ed25519 PKCS#8 PEM)',
  })
  .refine((c) => c.NODE_ENV !== 'production' || !!c.KYC_ENCRYPTION_KEY, {
    path: ['KYC_ENCRYPTION_KEY'],
    message: 'required in production (32 bytes, base64)',
  })
  .refine((c) => c.NODE_ENV !== 'production' || !!c.KYC_FINGERPRINT_KEY, {
    path: ['KYC_FINGERPRINT_KEY'],
    message: 'required in production (32 bytes, base64)',
  })
  .refine(
    (c) =>
      !c.KYC_FINGERPRINT_KEY ||
      !c.KYC_ENCRYPTION_KEY ||
      !Buffer.from(c.KYC_FINGERPRINT_KEY, 'base64').equals(Buffer.from(c.KYC_ENCRYPTION_KEY, 'base64')),
    { path: ['KYC_FINGERPRINT_KEY'], message: 'must differ from KYC_ENCRYPTION_KEY' },
  );

export type IdentityConfig = z.infer<typeof IdentityConfigSchema>;
