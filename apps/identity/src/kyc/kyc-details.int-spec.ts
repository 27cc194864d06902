/**
 * Reading a KYC case's decrypted details on a real PostgreSQL: who may, when, what is
 * recorded, and that the record cannot be taken back. Identity is built from its production module.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '@talent/events';
import { openIdentity, type IdentityHarness } from '../../test/harness';
import { ReviewKycCase } from './review-kyc-case';
import { SubmitKycCase } from './submit-kyc-case';
import { ReadKycDetails } from './read-kyc-details';

let h: IdentityHarness;
let read: ReadKycDetails;
let submitKycCase: SubmitKycCase;
let reviewKycCase: ReviewKycCase;
const sql = <T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]> => h.sql<T>(text, params);
const reads = (caseId: string) =>
  sql<{ reader_id: string; fields: string[]; reader_roles: string[] }>(
    'SELECT reader_id, fields, reader_roles FROM kyc_details_reads WHERE case_id = $1 ORDER BY read_at',
    [caseId],
  );

async function user(roles: Role[]): Promise<{ id: string; roles: Role[] }> {
  const id = randomUUID();
  await sql(`INSERT INTO users (id, email, password_hash, display_name, roles) VALUES ($1, $2, 'x', 'Someone', $3)`, [id, `u-${id}@example.test`, roles]);
  return { id, roles };
}
const ALL = ['LEGAL_NAME', 'DATE_OF_BIRTH', 'DOCUMENT_NUMBER'] as const;
const details = { legalName: 'Ada Quinn Lovelace', dateOfBirth: '1990-04-12', documentNumber: 'ZX9081726354' };

beforeAll(async () => {
  h = await openIdentity('kyc_details');
  read = h.app.get(ReadKycDetails);
  submitKycCase = h.app.get(SubmitKycCase);
  reviewKycCase = h.app.get(ReviewKycCase);
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

async function pendingCase(): Promise<{ owner: { id: string; roles: Role[] }; caseId: string }> {
  const owner = await user(['TALENT', 'INSPECTOR']);
  const record = await submitKycCase.execute(
    { caller: owner },
    { ...details, country: 'GB', documentType: 'PASSPORT', documentNumber: `ZX ${randomBytes(4).toString('hex')}` },
  );
  return { owner, caseId: record.id };
}

it('a reviewer reads the fields asked for, and exactly that read is recorded first', async () => {
  const { owner, caseId } = await pendingCase();
  const inspector = await user(['TALENT', 'INSPECTOR']);
  const all = await read.execute(inspector, caseId, ALL);
  expect(all).toEqual({ legalName: details.legalName, dateOfBirth: details.dateOfBirth, documentNumber: expect.stringMatching(/^ZX[0-9A-F]{8}$/i) });
  expect(await read.execute(inspector, caseId, ['DATE_OF_BIRTH'])).toEqual({ dateOfBirth: details.dateOfBirth });
  expect(await reads(caseId)).toEqual([
    { reader_id: inspector.id, fields: [...ALL], reader_roles: ['TALENT', 'INSPECTOR'] },
    { reader_id: inspector.id, fields: ['DATE_OF_BIRTH'], reader_roles: ['TALENT', 'INSPECTOR'] },
  ]);
  expect((await sql('SELECT case_owner_id FROM kyc_details_reads WHERE case_id = $1', [caseId]))[0].case_owner_id).toBe(owner.id);
});

it('nobody else reads: the owner (an inspector too), a talent, anonymous, a reviewer whose role was taken back; asking for no field records nothing', async () => {
  const { owner, caseId } = await pendingCase();
  const talent = await user(['TALENT']);
  const demoted = await user(['TALENT', 'INSPECTOR']);
  await sql(`UPDATE users SET roles = ARRAY['TALENT'] WHERE id = $1`, [demoted.id]);
  for (const reader of [owner, talent, null, demoted]) expect(await read.execute(reader, caseId, ALL)).toBeNull();
  expect(await read.execute(await user(['ADMIN']), caseId, [])).toEqual({});
  expect(await read.execute(await user(['ADMIN']), randomUUID(), ALL)).toBeNull();
  expect(await reads(caseId)).toEqual([]);
});

it('a decided case is read by nobody', async () => {
  const { caseId } = await pendingCase();
  const admin = await user(['ADMIN']);
  await reviewKycCase.execute({ caller: admin }, { caseId, decision: 'REJECT', reason: 'blurry scan' });
  expect(await read.execute(admin, caseId, ALL)).toBeNull();
  expect(await reads(caseId)).toEqual([]);
});

it('the record cannot be changed or removed, whoever writes', async () => {
  const { caseId } = await pendingCase();
  await read.execute(await user(['INSPECTOR']), caseId, ['LEGAL_NAME']);
  for (const statement of [`UPDATE kyc_details_reads SET fields = ARRAY['DATE_OF_BIRTH']`, 'DELETE FROM kyc_details_reads', 'TRUNCATE kyc_details_reads']) {
    await expect(sql(statement)).rejects.toThrow(/kyc_details_reads is append-only/);
  }
  expect(await reads(caseId)).toHaveLength(1);
});
