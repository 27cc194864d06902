import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { APP_CONFIG, FieldCipher, parseKeyRing } from '@talent/platform';
import type { PartnersConfig } from '../config';

/** A new signing secret in the Standard Webhooks form: `whsec_` + 32 random bytes, base64. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * Partner signing secrets at rest: encrypted with the PARTNER_SECRET key ring, each bound to
 * its node (a ciphertext copied to another node's row does not decrypt). Shown in clear only
 * once, in the answer that created it.
 */
@Injectable()
export class SigningSecrets {
  private readonly cipher: FieldCipher;

  constructor(@Inject(APP_CONFIG) config: PartnersConfig) {
    const ring = parseKeyRing(config, 'PARTNER_SECRET');
    if (!ring) throw new Error('PARTNER_SECRET_KEY is required');
    this.cipher = new FieldCipher(ring);
  }

  seal(nodeId: string, secret: string): string {
    return this.cipher.encrypt(secret, `partner_nodes.signing_secret:${nodeId}`);
  }

  open(nodeId: string, sealed: string): string {
    return this.cipher.decrypt(sealed, `partner_nodes.signing_secret:${nodeId}`);
  }

  /**
   * The `webhook-signature` header: `v1,<sig>` per secret, space-separated (Standard Webhooks),
   * so that during a rotation a receiver holding either secret verifies the delivery.
   */
  static signature(secrets: readonly string[], messageId: string, at: Date, body: string): string {
    return secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(' ');
  }
}
