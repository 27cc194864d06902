/**
 * Organizations reach jobs through OrganizationCreated, on a real PostgreSQL: the migration
 * announces the organizations that existed before the event did, and a new organization's
 * event commits with it (or not at all). Identity is built from its production module, over
 * the database the previous version left.
 */
import { randomUUID } from 'node:crypto';
import { OrganizationCreated, parseEvent } from '@talent/events';
import { BadUserInputError } from '@talent/platform';
import { createTestDatabase, type TestDatabase } from '@talent/testing';
import { openIdentity, openMigratedTo, type IdentityHarness } from '../../test/harness';
import { IdentitySchema1732600000000 } from '../migrations/1732600000000-identity-schema';
import { MemberDocuments1735300000000 } from '../migrations/1735300000000-member-documents';
import { CreateOrganization } from './create-organization';

let db: TestDatabase;
let h: IdentityHarness;
const announced = async () => {
  const rows: Array<{ topic: string; message_key: string; envelope: unknown }> = await h.sql(
    `SELECT topic, message_key, envelope FROM outbox WHERE type = 'OrganizationCreated' ORDER BY seq`,
  );
  return rows.map((row) => {
    const parsed = parseEvent(JSON.stringify(row.envelope));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.definition).toBe(OrganizationCreated);
    expect(row.topic).toBe(OrganizationCreated.topic);
    expect(row.message_key).toBe(parsed.event.aggregateId);
    return parsed.event.payload;
  });
};

/** What the previous version left: two organizations, and no event about them. */
const before = { owners: [randomUUID(), randomUUID()], organizations: [randomUUID(), randomUUID()] };

beforeAll(async () => {
  db = await createTestDatabase('identity_organizations');
  // The database as the previous version left it (its migrations only); the service module runs every migration at once.
  const previous = await openMigratedTo(db, [IdentitySchema1732600000000, MemberDocuments1735300000000]);
  for (const [i, owner] of before.owners.entries()) {
    await previous.query(`INSERT INTO users (id, email, password_hash, display_name, roles) VALUES ($1, $2, 'x', 'Client', ARRAY['CLIENT'])`, [
      owner,
      `c${i}-${owner}@example.test`,
    ]);
    await previous.query(`INSERT INTO organizations (id, name, created_by, created_at) VALUES ($1, $2, $3, $4)`, [
      before.organizations[i],
      `Org ${i}`,
      owner,
      new Date(Date.UTC(2024, i, 1)),
    ]);
    await previous.query(`INSERT INTO organization_members (organization_id, user_id, role, joined_at) VALUES ($1, $2, 'OWNER', now())`, [
      before.organizations[i],
      owner,
    ]);
  }
  await previous.destroy();
  // The new version starts over it: its remaining migrations run.
  h = await openIdentity('organizations', { database: db });
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

it('the migration announces every organization that existed before, with its owner', async () => {
  expect(await announced()).toEqual([
    { organizationId: before.organizations[0], ownerId: before.owners[0], createdAt: '2024-01-01T00:00:00.000Z' },
    { organizationId: before.organizations[1], ownerId: before.owners[1], createdAt: '2024-02-01T00:00:00.000Z' },
  ]);
});

it('a new organization is announced in its own transaction; a refused one is not', async () => {
  const createOrganization = h.app.get(CreateOrganization);
  const caller = { id: before.owners[0], roles: ['CLIENT' as const] };
  await expect(async () => createOrganization.execute({ caller }, { name: ' x ' })).rejects.toThrow(BadUserInputError);
  expect(await announced()).toHaveLength(2);
  const created = await createOrganization.execute({ caller }, { name: 'Second organization' });
  const events = await announced();
  expect(events).toHaveLength(3);
  expect(events[2]).toEqual({ organizationId: created.id, ownerId: caller.id, createdAt: created.createdAt.toISOString() });
});
