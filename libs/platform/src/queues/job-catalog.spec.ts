import { z } from 'zod';
import { assertCatalogComplete, defineJob } from './job-catalog';

const SendDigest = defineJob({ name: 'send-digest', schema: z.object({ userId: z.uuid() }) });
const ExpireOffers = defineJob({ name: 'expire-offers', schema: z.object({}) });
const catalog = [SendDigest, ExpireOffers];

describe('assertCatalogComplete', () => {
  it('accepts a catalog whose every job has exactly one handler', () => {
    expect(() => assertCatalogComplete(catalog, ['expire-offers', 'send-digest'])).not.toThrow();
    expect(() => assertCatalogComplete([], [])).not.toThrow();
  });

  it('refuses a job without a handler', () => {
    expect(() => assertCatalogComplete(catalog, ['send-digest'])).toThrow('job "expire-offers" has no handler');
  });

  it('refuses a job with two handlers', () => {
    expect(() => assertCatalogComplete(catalog, ['send-digest', 'expire-offers', 'send-digest'])).toThrow('job "send-digest" has 2 handlers');
  });

  it('refuses a handler for a job missing from the catalog', () => {
    expect(() => assertCatalogComplete(catalog, ['send-digest', 'expire-offers', 'reindex'])).toThrow('handler for unknown job "reindex"');
  });

  it('reports every problem at once', () => {
    expect(() => assertCatalogComplete(catalog, ['reindex', 'reindex'])).toThrow(
      /send-digest" has no handler.*expire-offers" has no handler.*unknown job "reindex"/,
    );
  });
});
