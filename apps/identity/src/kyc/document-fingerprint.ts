import { createHmac } from 'node:crypto';
import type { KycDocumentType } from './kyc-case.entity';

export interface IdentityDocument {
  documentType: KycDocumentType;
  /** ISO 3166-1 alpha-2, any case. */
  country: string;
  /** As typed: spaces, dashes and case do not matter. */
  documentNumber: string;
}

/** The form a document number is stored and compared in: no spaces or dashes, upper case. */
export const normalizeDocumentNumber = (raw: string): string => raw.replace(/[\s-]/g, '').toUpperCase();

/**
 * A keyed hash (HMAC-SHA256) of an identity document: type, country and normalized number.
 * Equal documents give equal fingerprints, so a second account with a member's document is
 * recognized; without the key, a fingerprint cannot be checked against guessed numbers
 * (document numbers are short enough to enumerate, which is why a plain hash would not do).
 * The key is its own (KYC_FINGERPRINT_KEY), never the key that encrypts the fields.
 * Changing it changes every fingerprint: the stored ones must then be recomputed.
 */
export class DocumentFingerprinter {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('DocumentFingerprinter needs a 32-byte key');
    this.key = Buffer.from(key);
  }

  /** 64 hex characters. */
  fingerprint(document: IdentityDocument): string {
    // Fixed-format fields joined by a separator none of them can contain: unambiguous.
    const canonical = ['kyc-document:v1', document.documentType, document.country.trim().toUpperCase(), normalizeDocumentNumber(document.documentNumber)].join(
      '\n',
    );
    return createHmac('sha256', this.key).update(canonical, 'utf8').digest('hex');
  }
}
