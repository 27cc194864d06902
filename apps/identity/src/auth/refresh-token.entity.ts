import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A refresh token (only a hash of its secret is stored). Tokens rotate on use; every
 * token issued from one login shares a family, and reusing a rotated token revokes the family.
 */
@Entity({ name: 'refresh_tokens' })
export class RefreshTokenRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'family_id', type: 'uuid' })
  familyId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash: string;

  /** When this token expires unused: its session's idle limit, capped by the session's end. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  /** When the session (the family) ends however often it is refreshed; null for tokens issued before sessions had an end. */
  @Column({ name: 'session_expires_at', type: 'timestamptz', nullable: true })
  sessionExpiresAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
