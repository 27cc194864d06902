import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import {
  createInspector,
  errorCode,
  makeMember,
  registerPersona,
  screenApproved,
  signInAdmin,
  startStack,
  waitFor,
  type Persona,
  type Stack,
} from '@talent/testing';

/*
 * The abuse suite of data visibility, end to end through the gateway on the real stack
 * (identity, jobs, matching as processes, the broker, Redis, PostgreSQL):
 * - fields a caller may not see, asked in a list, come back empty and leave the rest of the
 *   list alone (a FORBIDDEN used to wipe the whole response);
 * - a client cannot post a job under someone else's organization;
 * - a KYC reviewer reads the decrypted details of a pending case, every read lands in the
 *   owner's access log, and nobody else reads them; identity runs with two encryption keys
 *   (an old one and the current one) and reads what either wrote.
 */
jest.setTimeout(180_000);

const PROFILE = `mutation ($input: TalentProfileInput!) { upsertTalentProfile(input: $input) { updatedAt } }`;
const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id organization { id name } client { id } } }`;
const APPLY = `mutation ($job: ID!) { applyToJob(jobId: $job, coverLetter: "I can do it", proposedRate: { amount: "80", currency: "USD" }) { id } }`;
const JOBS_OF = `query ($client: ID!, $withApplications: Boolean!, $withMatches: Boolean!) {
  jobs(filter: { clientId: $client }) {
    totalCount
    edges { node { id title status client { id }
      applications @include(if: $withApplications) { id talent { id } }
      matches @include(if: $withMatches) { rank talent { id } } } }
  }
}`;
const CREATE_ORG = `mutation ($name: String!) { createOrganization(name: $name) { id name } }`;
const SUBMIT_KYC = `mutation ($input: SubmitKycInput!) { submitKyc(input: $input) { id status details { legalName dateOfBirth documentNumber } accessLog { id } } }`;
const QUEUE_DETAILS = `{ kycQueue(first: 100) { edges { node { id documentNumberLast4 details { legalName dateOfBirth documentNumber } } } } }`;
const QUEUE_NAME_ONLY = `{ kycQueue(first: 100) { edges { node { id details { legalName } } } } }`;
const ACCESS_LOG = `{ myKycAccessLog(first: 50) { edges { node { id caseId fields readAt readerRoles reader { id } } } pageInfo { hasNextPage } } }`;
const REVIEW = `mutation ($id: ID!) { reviewKyc(caseId: $id, decision: APPROVE) { status details { legalName } } }`;

interface JobNode {
  id: string;
  title: string;
  client: { id: string };
  applications?: Array<{ id: string; talent: { id: string } }>;
  matches?: Array<{ rank: number; talent: { id: string } }>;
}
interface Access {
  id: string;
  caseId: string;
  fields: string[];
  readAt: string;
  readerRoles: string[];
  reader: { id: string };
}
interface QueueNode {
  id: string;
  documentNumberLast4?: string;
  details: { legalName?: string; dateOfBirth?: string; documentNumber?: string } | null;
}

const skill = `visibility-${randomBytes(3).toString('hex')}`;
const jobInput = (title: string, organizationId?: string | null) => ({
  title,
  description: 'A job to test who sees what.',
  skills: [skill],
  minYearsExperience: 0,
  countries: [],
  budget: { min: { amount: '50', currency: 'USD' }, max: { amount: '100', currency: 'USD' }, unit: 'HOURLY' },
  hoursPerWeek: 20,
  durationWeeks: 4,
  ...(organizationId !== undefined ? { organizationId } : {}),
});

/** A value as identity wrote it before key ids existed (`v1.<iv>.<tag>.<ciphertext>`), with the key of that time. */
function legacyCiphertext(key: Buffer, plaintext: string, caseId: string, field: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`kyc_cases:${caseId}:${field}`, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

describe('abuse suite: nobody sees, or acts on, what is not theirs', () => {
  let stack: Stack;
  let admin: Persona;
  let inspector: Persona;
  /** The key rolled in: new KYC values are written with it; the stack's KYC_ENCRYPTION_KEY stays as key `default`. */
  const currentKey = randomBytes(32);

  const identitySql = <T = Record<string, any>>(text: string, params?: unknown[]) => stack.services.identity.sql<T>(text, params);
  const jobsSql = <T = Record<string, any>>(text: string, params?: unknown[]) => stack.services.jobs.sql<T>(text, params);
  const knownToJobs = (people: Persona[]) =>
    waitFor(
      async () => (await jobsSql('SELECT count(*)::int AS n FROM members WHERE user_id = ANY($1::uuid[])', [people.map((p) => p.id)]))[0].n === people.length,
      30_000,
      { message: 'jobs knows the members' },
    );
  const member = async (roles: string[], name: string): Promise<Persona> => {
    const person = await registerPersona(stack, roles, name);
    await makeMember(stack, person, inspector);
    await knownToJobs([person]);
    return person;
  };
  const accessLog = async (owner: Persona) =>
    (await owner.api.data<{ myKycAccessLog: { edges: Array<{ node: Access }> } }>(ACCESS_LOG)).myKycAccessLog.edges.map((e) => e.node);
  const queueNode = async (reader: Persona, caseId: string, query = QUEUE_DETAILS) => {
    const { kycQueue } = await reader.api.data<{ kycQueue: { edges: Array<{ node: QueueNode }> } }>(query);
    return kycQueue.edges.map((e) => e.node).find((n) => n.id === caseId);
  };
  const submitKyc = (person: Persona, input: Record<string, string>) =>
    person.api.data<{ submitKyc: { id: string; status: string; details: unknown; accessLog: unknown[] | null } }>(SUBMIT_KYC, { input });

  beforeAll(async () => {
    stack = await startStack({
      services: ['jobs', 'matching'],
      env: {
        // Two keys: the stack's KYC_ENCRYPTION_KEY (id `default`, the old one) and a new current one.
        // Debug logs, so that "never in the logs" below means something.
        identity: { KYC_ENCRYPTION_KEYS: `k2026:${currentKey.toString('base64')}`, KYC_ENCRYPTION_KEY_ID: 'k2026', LOG_LEVEL: 'debug' },
        jobs: { PROJECTION_WAIT_MS: '5000' },
      },
    });
    admin = await signInAdmin(stack);
    inspector = await createInspector(stack, admin);
    await makeMember(stack, inspector, admin);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('restricted fields in lists', () => {
    let client: Persona;
    let talent: Persona;
    let jobId: string;

    beforeAll(async () => {
      [client, talent] = await Promise.all([member(['CLIENT'], 'Client Vera'), member(['TALENT'], 'Talent Tomas')]);
      await talent.api.data(PROFILE, {
        input: {
          headline: 'Engineer',
          skills: [skill],
          yearsExperience: 5,
          hourlyRate: { amount: '80', currency: 'USD' },
          country: 'US',
          hoursPerWeek: 30,
          openToWork: true,
        },
      });
      await screenApproved(inspector, talent);
      await waitFor(
        async () => (await stack.services.matching.sql('SELECT eligible FROM talent_profiles WHERE user_id = $1', [talent.id]))[0]?.eligible === true,
        30_000,
        { message: 'matching knows the talent as eligible' },
      );
      jobId = (await client.api.data<{ postJob: { id: string } }>(POST_JOB, { input: jobInput('Visible job, private applications') })).postJob.id;
      await client.api.data(POST_JOB, { input: jobInput('Second job of the list') });
      await talent.api.data(APPLY, { job: jobId });
      // The job's client sees its application and its match: there is something to hide.
      await waitFor(
        async () => {
          const { jobs } = await client.api.data<{ jobs: { edges: Array<{ node: JobNode }> } }>(JOBS_OF, {
            client: client.id,
            withApplications: true,
            withMatches: true,
          });
          const job = jobs.edges.find((e) => e.node.id === jobId)?.node;
          return job?.applications?.length === 1 && job.matches?.some((m) => m.talent.id === talent.id);
        },
        30_000,
        { message: "the client sees the job's application and match" },
      );
    });

    it('a talent listing jobs with applications gets the list, with no applications and no error', async () => {
      for (const asker of [talent, inspector, admin]) {
        const res = await asker.api.request<{ jobs: { totalCount: number; edges: Array<{ node: JobNode }> } }>(JOBS_OF, {
          client: client.id,
          withApplications: true,
          withMatches: false,
        });
        expect(res.errors).toBeUndefined();
        expect(res.data!.jobs.totalCount).toBe(2);
        expect(res.data!.jobs.edges.map((e) => e.node.title).sort()).toEqual(['Second job of the list', 'Visible job, private applications']);
        for (const { node } of res.data!.jobs.edges) expect(node.applications).toEqual([]);
      }
    });

    it('an anonymous visitor listing jobs with matches and applications gets the list, with neither', async () => {
      const res = await stack.api.request<{ jobs: { totalCount: number; edges: Array<{ node: JobNode }> } }>(JOBS_OF, {
        client: client.id,
        withApplications: true,
        withMatches: true,
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.jobs.totalCount).toBe(2);
      for (const { node } of res.data!.jobs.edges) {
        expect(node.client).toEqual({ id: client.id });
        expect(node.applications).toEqual([]);
        expect(node.matches).toEqual([]);
      }
      // Another signed-in user (the matched talent included) sees no matches either; an admin does.
      const asTalent = await talent.api.request<{ jobs: { edges: Array<{ node: JobNode }> } }>(JOBS_OF, {
        client: client.id,
        withApplications: false,
        withMatches: true,
      });
      expect(asTalent.errors).toBeUndefined();
      for (const { node } of asTalent.data!.jobs.edges) expect(node.matches).toEqual([]);
      const asAdmin = await admin.api.data<{ jobs: { edges: Array<{ node: JobNode }> } }>(JOBS_OF, {
        client: client.id,
        withApplications: false,
        withMatches: true,
      });
      expect(asAdmin.jobs.edges.find((e) => e.node.id === jobId)!.node.matches!.map((m) => m.talent.id)).toContain(talent.id);
    });
  });

  describe('organizations', () => {
    let owner: Persona;
    let intruder: Persona;
    let organization: { id: string; name: string };

    beforeAll(async () => {
      [owner, intruder] = await Promise.all([member(['CLIENT'], 'Client Olga'), member(['CLIENT'], 'Client Ivo')]);
    });

    const jobsOf = async (who: Persona) =>
      (await stack.api.data<{ jobs: { totalCount: number } }>(`query ($c: ID!) { jobs(filter: { clientId: $c }) { totalCount } }`, { c: who.id })).jobs
        .totalCount;

    it('a client posts under their own organization right after creating it', async () => {
      organization = (await owner.api.data<{ createOrganization: { id: string; name: string } }>(CREATE_ORG, { name: 'Olga Robotics' })).createOrganization;
      // No retry: jobs waits (a bounded time) for the organization to reach it.
      const res = await owner.api.request<{ postJob: { id: string; organization: { id: string; name: string }; client: { id: string } } }>(POST_JOB, {
        input: jobInput('Posted under my organization', organization.id),
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.postJob.organization).toEqual(organization);
      expect(res.data!.postJob.client).toEqual({ id: owner.id });
    });

    it("a client posting under another client's organization is FORBIDDEN, and no job exists", async () => {
      const res = await intruder.api.request(POST_JOB, { input: jobInput('Posted under a stolen organization', organization.id) });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.data?.postJob ?? null).toBeNull();
      expect(await jobsOf(intruder)).toBe(0);
      expect(await jobsSql('SELECT id FROM jobs WHERE organization_id = $1', [organization.id])).toHaveLength(1);
      expect(await jobsSql(`SELECT 1 FROM outbox WHERE type = 'JobPosted' AND envelope->'payload'->>'clientId' = $1`, [intruder.id])).toHaveLength(0);
    });

    it('an organization nobody created is NOT_FOUND after the bounded wait, and no job exists', async () => {
      const started = Date.now();
      const res = await intruder.api.request(POST_JOB, { input: jobInput('Posted under a made-up organization', randomUUID()) });
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
      expect(await jobsOf(intruder)).toBe(0);
    });

    it('without an organization the intruder posts as before', async () => {
      const res = await intruder.api.request<{ postJob: { organization: unknown } }>(POST_JOB, { input: jobInput('Posted as myself') });
      expect(res.errors).toBeUndefined();
      expect(res.data!.postJob.organization).toBeNull();
    });
  });

  describe('KYC review', () => {
    const documentNumber = `ZX ${randomBytes(3).toString('hex').toUpperCase()}-726354`;
    const stored = documentNumber.replace(/[\s-]/g, '');
    const kyc = { legalName: 'Zoë Ångström-Nakamura', country: 'SE', dateOfBirth: '1988-11-23', documentType: 'PASSPORT', documentNumber };
    let owner: Persona;
    let bystander: Persona;
    let caseId: string;

    beforeAll(async () => {
      [owner, bystander] = await Promise.all([registerPersona(stack, ['TALENT'], 'Owner Zoe'), registerPersona(stack, ['TALENT'], 'Bystander Bo')]);
      const { submitKyc: submitted } = await submitKyc(owner, kyc);
      caseId = submitted.id;
      // The owner never reads the decrypted details through this path; their case's log is theirs to see.
      expect(submitted.details).toBeNull();
      expect(submitted.accessLog).toEqual([]);
    });

    it('stores the details with the current key, named in each value, and never in clear', async () => {
      const [row] = await identitySql('SELECT legal_name_enc, date_of_birth_enc, document_number_enc FROM kyc_cases WHERE id = $1', [caseId]);
      for (const value of Object.values(row) as string[]) {
        expect(value.startsWith('v2.k2026.')).toBe(true);
        for (const plain of [kyc.legalName, kyc.dateOfBirth, stored]) expect(value).not.toContain(plain);
      }
    });

    it('an inspector reads the decrypted details of a pending case; the owner sees who read what, and when', async () => {
      expect(await accessLog(owner)).toEqual([]);
      const before = Date.now();
      const node = await queueNode(inspector, caseId);
      expect(node).toEqual({
        id: caseId,
        documentNumberLast4: stored.slice(-4),
        details: { legalName: kyc.legalName, dateOfBirth: kyc.dateOfBirth, documentNumber: stored },
      });

      const [read] = await accessLog(owner);
      expect(read).toMatchObject({ caseId, reader: { id: inspector.id }, fields: ['LEGAL_NAME', 'DATE_OF_BIRTH', 'DOCUMENT_NUMBER'] });
      expect(read.readerRoles).toContain('INSPECTOR');
      expect(Date.parse(read.readAt)).toBeGreaterThanOrEqual(before - 1_000);
      expect(Date.parse(read.readAt)).toBeLessThanOrEqual(Date.now() + 1_000);

      // Only what is asked is decrypted, and the log says exactly that; an admin's read is logged too.
      expect((await queueNode(admin, caseId, QUEUE_NAME_ONLY))!.details).toEqual({ legalName: kyc.legalName });
      const log = await accessLog(owner);
      expect(log).toHaveLength(2);
      expect(log[0]).toMatchObject({ caseId, reader: { id: admin.id }, fields: ['LEGAL_NAME'] });
      expect(log[0].readerRoles).toContain('ADMIN');
    });

    it('the owner, another talent and an anonymous visitor read nothing, and leave no trace in the log', async () => {
      const before = await accessLog(owner);
      for (const api of [owner.api, bystander.api]) {
        const res = await api.request(QUEUE_DETAILS);
        expect(errorCode(res)).toBe('FORBIDDEN');
        expect(res.data ?? null).toBeNull();
      }
      const anonymous = await stack.api.request(QUEUE_DETAILS);
      expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(errorCode(anonymous));
      expect(anonymous.data ?? null).toBeNull();
      // The owner cannot read another's log, nor open a second case to read the first.
      expect(await accessLog(bystander)).toEqual([]);
      expect(errorCode(await owner.api.request(SUBMIT_KYC, { input: kyc }))).toBe('CONFLICT');
      expect(await accessLog(owner)).toEqual(before);
      // The log is append-only, whoever writes to the database.
      await expect(identitySql('DELETE FROM kyc_details_reads WHERE case_id = $1', [caseId])).rejects.toThrow(/append-only/);
      await expect(identitySql(`UPDATE kyc_details_reads SET fields = ARRAY['LEGAL_NAME'] WHERE case_id = $1`, [caseId])).rejects.toThrow(/append-only/);
      expect(await accessLog(owner)).toEqual(before);
    });

    it('once the case is decided, nobody reads its details any more', async () => {
      const { reviewKyc } = await inspector.api.data<{ reviewKyc: { status: string; details: unknown } }>(REVIEW, { id: caseId });
      expect(reviewKyc).toEqual({ status: 'APPROVED', details: null });
      expect(await queueNode(admin, caseId)).toBeUndefined();
      expect(await accessLog(owner)).toHaveLength(2);
    });

    it('a case written before key ids, with the old key, still reads; the decrypted values never reach the logs', async () => {
      // A talent whose case the previous version stored (v1 values, the old key; no fingerprint yet).
      const legacyOwner = await registerPersona(stack, ['TALENT'], 'Legacy Lena');
      const legacyCase = randomUUID();
      const legacy = { legalName: 'Lena Oldcase-Wright', dateOfBirth: '1979-02-14', documentNumber: `OLD${randomBytes(3).toString('hex').toUpperCase()}` };
      await identitySql(
        `INSERT INTO kyc_cases (id, user_id, status, country, document_type, legal_name_enc, document_number_enc, document_number_last4, date_of_birth_enc, submitted_at)
         VALUES ($1, $2, 'PENDING', 'GB', 'PASSPORT', $3, $4, $5, $6, now())`,
        [
          legacyCase,
          legacyOwner.id,
          legacyCiphertext(stack.kycKey, legacy.legalName, legacyCase, 'legal_name'),
          legacyCiphertext(stack.kycKey, legacy.documentNumber, legacyCase, 'document_number'),
          legacy.documentNumber.slice(-4),
          legacyCiphertext(stack.kycKey, legacy.dateOfBirth, legacyCase, 'date_of_birth'),
        ],
      );
      await identitySql(`UPDATE users SET kyc_status = 'PENDING' WHERE id = $1`, [legacyOwner.id]);

      expect((await queueNode(inspector, legacyCase))!.details).toEqual(legacy);
      expect((await accessLog(legacyOwner)).map((a) => a.caseId)).toEqual([legacyCase]);
      // And it can still be approved (the fingerprint is computed from the old key's value).
      expect((await inspector.api.data<{ reviewKyc: { status: string } }>(REVIEW, { id: legacyCase })).reviewKyc.status).toBe('APPROVED');

      const logs = stack.services.identity.process.output() + stack.gateway.output();
      for (const secret of [kyc.legalName, stored, kyc.dateOfBirth, legacy.legalName, legacy.documentNumber, legacy.dateOfBirth])
        expect(logs).not.toContain(secret);
    });
  });
});
