import { z } from 'zod';
import { BaseConfigSchema, KeyRingError, parseKeyRing } from '@talent/platform';

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
   * More KYC encryption keys, with ids: `id:base64,id:base64` (ids of letters, digits, - and _).
   * With KYC_ENCRYPTION_KEY_ID, rolls in a new key while values written with older ones (kept
   * here, or as KYC_ENCRYPTION_KEY under the id `default`) still decrypt.
   */
  KYC_ENCRYPTION_KEYS: z.string().optional(),
  /** The id of the key new KYC values are encrypted with; needed when there are several keys. */
  KYC_ENCRYPTION_KEY_ID: z.string().optional(),
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
  /** The longest a sign-in session lasts, however often it is refreshed. */
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  /** A session not refreshed for this long ends (each refresh token expires this long after it was issued). */
  REFRESH_TOKEN_IDLE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Bootstrap administrator, created at start when both are set and no account has the email (an existing account is never promoted). */
  ADMIN_EMAIL: z
    .email()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ADMIN_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Password guesses evaluated per account per LOGIN_LOCKOUT_SECONDS, whatever the concurrency (a success resets it). */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  /** Failed sign-ins per client address per LOGIN_LOCKOUT_SECONDS before the address is slowed down (see SignInThrottle). */
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(20),
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().positive().default(900),
  /** Added to each sign-in from an address past LOGIN_MAX_FAILURES_PER_IP. */
  LOGIN_SLOWDOWN_MS: z.coerce.number().int().min(0).max(30_000).default(1000),
  /** Registrations per client address per REGISTER_WINDOW_SECONDS. */
  REGISTER_MAX_PER_IP: z.coerce.number().int().positive().default(20),
  REGISTER_WINDOW_SECONDS: z.coerce.number().int().positive().default(3600),
  /** Failed token refreshes (unknown, expired or revoked tokens) per client address per REFRESH_WINDOW_SECONDS. */
  REFRESH_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(30),
  REFRESH_WINDOW_SECONDS: z.coerce.number().int().positive().default(300),
})
  .refine((c) => c.NODE_ENV !== 'production' || !!c.JWT_PRIVATE_KEY, {
    path: ['JWT_PRIVATE_KEY'],
    message: 'required in production (Ed25519 PKCS#8 PEM)',
  })
  .refine((c) => c.NODE_ENV !== 'production' || !!c.KYC_ENCRYPTION_KEY || !!c.KYC_ENCRYPTION_KEYS, {
    path: ['KYC_ENCRYPTION_KEY'],
    message: 'required in production (32 bytes, base64), or KYC_ENCRYPTION_KEYS',
  })
  .superRefine((c, ctx) => {
    try {
      parseKeyRing(c);
    } catch (error) {
      if (!(error instanceof KeyRingError)) throw error;
      ctx.addIssue({ code: 'custom', path: [error.variable], message: error.problem });
    }
  })
  .refine((c) => c.NODE_ENV !== 'production' || !!c.KYC_FINGERPRINT_KEY, {
    path: ['KYC_FINGERPRINT_KEY'],
    message: 'required in production (32 bytes, base64)',
  })
  .refine((c) => !c.KYC_FINGERPRINT_KEY || !encryptionKeysOf(c).some((key) => key.equals(Buffer.from(c.KYC_FINGERPRINT_KEY!, 'base64'))), {
    path: ['KYC_FINGERPRINT_KEY'],
    message: 'must differ from KYC_ENCRYPTION_KEY (and from every key of KYC_ENCRYPTION_KEYS)',
  });

/** Every configured encryption key; none when the ring is invalid (reported on its own). */
function encryptionKeysOf(c: { KYC_ENCRYPTION_KEY?: string; KYC_ENCRYPTION_KEYS?: string; KYC_ENCRYPTION_KEY_ID?: string }): Buffer[] {
  try {
    return [...(parseKeyRing(c)?.keys.values() ?? [])];
  } catch {
    return c.KYC_ENCRYPTION_KEY ? [Buffer.from(c.KYC_ENCRYPTION_KEY, 'base64')] : [];
  }
}

export type IdentityConfig = z.infer<typeof IdentityConfigSchema>;
