import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What a key id may look like: it is written into every ciphertext, between dots. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** The id of the single key given as `<prefix>_KEY` (see parseKeyRing). */
export const DEFAULT_KEY_ID = 'default';

export interface KeyRing {
  /** Every key that may decrypt, by id. */
  keys: ReadonlyMap<string, Buffer>;
  /** The key new values are encrypted with. */
  currentKeyId: string;
}

/**
 * AES-256-GCM encryption of single fields at rest (PII, secrets). Each value gets a fresh 96-bit IV;
 * the associated data binds a ciphertext to its row and column, so a value copied into
 * another row or column fails to decrypt.
 *
 * Keys carry an id, written into each ciphertext: `v2.<keyId>.<iv>.<tag>.<ciphertext>`
 * (base64url), so a new key can be rolled in (new writes use it) while values written with
 * older keys still decrypt, as long as their key stays in the ring. Values written before key
 * ids existed (`v1.<iv>.<tag>.<ciphertext>`) carry no id: every key of the ring is tried, and
 * GCM's tag tells the right one.
 */
export class FieldCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentKeyId: string;

  /** A single key (id `default`), or a key ring. */
  constructor(keys: Buffer | KeyRing) {
    const ring: KeyRing = Buffer.isBuffer(keys) ? { keys: new Map([[DEFAULT_KEY_ID, keys]]), currentKeyId: DEFAULT_KEY_ID } : keys;
    if (ring.keys.size === 0) throw new Error('FieldCipher needs at least one key');
    for (const [id, key] of ring.keys) {
      if (!KEY_ID_PATTERN.test(id)) throw new Error(`FieldCipher key id "${id}" must be 1 to 32 letters, digits, "-" or "_"`);
      if (key.length !== 32) throw new Error(`FieldCipher needs a 32-byte key (key "${id}")`);
    }
    if (!ring.keys.has(ring.currentKeyId)) throw new Error(`FieldCipher: the current key id "${ring.currentKeyId}" is not in the ring`);
    // Own copies: a caller zeroing or reusing its buffers cannot change what this cipher holds.
    this.keys = new Map([...ring.keys].map(([id, key]) => [id, Buffer.from(key)]));
    this.currentKeyId = ring.currentKeyId;
  }

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v2', this.currentKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  decrypt(stored: string, associatedData: string): string {
    const parts = stored.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, keyId, iv, tag, ciphertext] = parts;
      const key = this.keys.get(keyId);
      // Names the id only: ids are not secret, and ops need it to know which key to bring back.
      if (!key) throw new Error(`Unknown encryption key id "${keyId}"`);
      return open(key, iv, tag, ciphertext, associatedData);
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, ciphertext] = parts;
      for (const key of this.keys.values()) {
        try {
          return open(key, iv, tag, ciphertext, associatedData);
        } catch {
          // Not this key (or tampered with): the next one, and an error after the last.
        }
      }
      throw new Error('No key of the ring decrypts this value');
    }
    throw new Error('Unknown ciphertext format');
  }

  /** The id of the key a stored value was written with; null for values written before key ids. */
  static keyIdOf(stored: string): string | null {
    const parts = stored.split('.');
    return parts[0] === 'v2' && parts.length === 5 ? parts[1] : null;
  }
}

function open(key: Buffer, iv: string, tag: string, ciphertext: string, associatedData: string): string {
  if (!iv || !tag) throw new Error('Unknown ciphertext format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * A key ring from configuration, under a variable prefix P (e.g. `KYC_ENCRYPTION`):
 * `P_KEYS` (`id:base64,id:base64`) plus the single `P_KEY` under the id `default`; `P_KEY_ID`
 * names the key for new writes, and may be left out when the ring holds one key. Returns null
 * when no key is configured. Throws a message naming the variable (config validation uses the
 * same rules), never the key.
 */
export function parseKeyRing(env: Readonly<Record<string, unknown>>, prefix = 'KYC_ENCRYPTION'): KeyRing | null {
  const single = `${prefix}_KEY`;
  const list = `${prefix}_KEYS`;
  const current = `${prefix}_KEY_ID`;
  const keys = new Map<string, Buffer>();
  for (const entry of String(env[list] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon).trim();
    if (!KEY_ID_PATTERN.test(id)) throw new KeyRingError(list, 'each entry must be <id>:<base64 key>, the id 1 to 32 letters, digits, "-" or "_"');
    const key = Buffer.from(entry.slice(colon + 1).trim(), 'base64');
    if (key.length !== 32) throw new KeyRingError(list, `key "${id}" must be 32 bytes, base64-encoded`);
    if (keys.has(id)) throw new KeyRingError(list, `key id "${id}" appears twice`);
    keys.set(id, key);
  }
  const singleValue = env[single] ? String(env[single]) : undefined;
  if (singleValue) {
    const key = Buffer.from(singleValue, 'base64');
    if (key.length !== 32) throw new KeyRingError(single, 'must be 32 bytes, base64-encoded');
    const listed = keys.get(DEFAULT_KEY_ID);
    if (listed && !listed.equals(key)) throw new KeyRingError(list, `key id "${DEFAULT_KEY_ID}" is ${single}'s: give it the same key or another id`);
    keys.set(DEFAULT_KEY_ID, key);
  }
  const currentValue = env[current] ? String(env[current]).trim() : undefined;
  if (keys.size === 0) {
    if (currentValue) throw new KeyRingError(current, `names a key, but no ${list} or ${single} is set`);
    return null;
  }
  const currentKeyId = currentValue || (keys.size === 1 ? [...keys.keys()][0] : '');
  if (!currentKeyId)
    throw new KeyRingError(
      current,
      `required when several keys are configured (${[...keys.keys()].join(', ')}): the id of the key new values are encrypted with`,
    );
  if (!keys.has(currentKeyId)) throw new KeyRingError(current, `"${currentKeyId}" is not among the configured keys (${[...keys.keys()].join(', ')})`);
  return { keys, currentKeyId };
}

export class KeyRingError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}
