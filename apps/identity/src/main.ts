// First: starts OpenTelemetry (when configured) before the modules it instruments are loaded.
import '@talent/platform/tracing/register';
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createLogger, createService, loadConfig, runService, FieldCipher, type KeyRing, parseKeyRing } from '@talent/platform';
import { IdentityModule } from './app.module';
import { SigningKeys } from './auth/signing-keys';
import { IdentityConfigSchema } from './config';
import { DocumentFingerprinter } from './kyc/document-fingerprint';

void runService(async () => {
  const config = loadConfig(IdentityConfigSchema);
  const log = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const keys = await SigningKeys.fromPem(config.JWT_PRIVATE_KEY, () =>
    log.warn('JWT_PRIVATE_KEY not set: signing with a key generated for this process (development only)'),
  );
  // Validated with the config: KYC_ENCRYPTION_KEYS / KYC_ENCRYPTION_KEY (id `default`) and KYC_ENCRYPTION_KEY_ID.
  let kycKeys: KeyRing | Buffer | null = parseKeyRing(config);
  if (!kycKeys) {
    log.warn('KYC_ENCRYPTION_KEY not set: encrypting KYC data with a key generated for this process (development only)');
    kycKeys = randomBytes(32);
  }
  let fingerprintKey = config.KYC_FINGERPRINT_KEY ? Buffer.from(config.KYC_FINGERPRINT_KEY, 'base64') : undefined;
  if (!fingerprintKey) {
    log.warn('KYC_FINGERPRINT_KEY not set: fingerprinting identity documents with a key generated for this process (development only)');
    fingerprintKey = randomBytes(32);
  }
  const app = await createService(IdentityModule.register(config, keys, new FieldCipher(kycKeys), new DocumentFingerprinter(fingerprintKey)), config);
  await app.listen(config.PORT, '0.0.0.0');
  log.info({ port: config.PORT }, 'identity listening');
});
