import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@talent/testing';
import { afterCommit, deferUntilCommit, flushDeferred } from './transaction-hooks';
import { dataSourceOptions } from './data-source-options';

describe('transaction hooks (real PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('after_commit');
    dataSource = await new DataSource(dataSourceOptions({ url: db.url, entities: [], migrations: [] })).initialize();
    await dataSource.query(`CREATE TABLE things (id int PRIMARY KEY)`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('runs once the transaction committed, when its rows are visible to other connections', async () => {
    const seen: number[] = [];
    const ran = new Promise<void>((resolve) => {
      void dataSource.transaction(async (tx) => {
        await tx.query(`INSERT INTO things (id) VALUES (1)`);
        afterCommit(tx, async () => {
          seen.push(...(await dataSource.query(`SELECT id FROM things`)).map((r: { id: number }) => r.id));
          resolve();
        });
        // Not yet: the transaction is still open.
        await new Promise((r) => setTimeout(r, 50));
        expect(seen).toEqual([]);
      });
    });
    await ran;
    expect(seen).toEqual([1]);
  });

  it('never runs when the transaction rolls back', async () => {
    let ran = false;
    await expect(
      dataSource.transaction(async (tx) => {
        await tx.query(`INSERT INTO things (id) VALUES (2)`);
        afterCommit(tx, () => {
          ran = true;
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // The next transaction on a pooled connection does not inherit the callback either.
    await dataSource.transaction(async (tx) => tx.query(`SELECT 1`));
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).toBe(false);
  });

  describe('deferUntilCommit', () => {
    const ids = async (): Promise<number[]> => (await dataSource.query(`SELECT id FROM things WHERE id >= 100 ORDER BY id`)).map((r: { id: number }) => r.id);

    it('writes once per key just before commit, atomically with the rest of the transaction', async () => {
      const pending: number[] = [];
      await dataSource.transaction(async (tx) => {
        for (const id of [100, 101, 102]) {
          pending.push(id);
          // Deferred three times under one key: the work runs once and writes all three in one statement.
          deferUntilCommit(tx, 'things', (m) => m.query(`INSERT INTO things (id) SELECT unnest($1::int[])`, [pending.splice(0)]));
        }
        expect(await ids()).toEqual([]);
      });
      expect(await ids()).toEqual([100, 101, 102]);
    });

    it('runs early on flushDeferred, so the transaction can read what it writes', async () => {
      await dataSource.transaction(async (tx) => {
        deferUntilCommit(tx, 'things', (m) => m.query(`INSERT INTO things (id) VALUES (110)`));
        await flushDeferred(tx);
        expect((await tx.query(`SELECT id FROM things WHERE id = 110`)).length).toBe(1);
      });
      expect(await ids()).toContain(110);
    });

    it('fails the commit when the deferred work fails: nothing of the transaction stays', async () => {
      await expect(
        dataSource.transaction(async (tx) => {
          await tx.query(`INSERT INTO things (id) VALUES (120)`);
          deferUntilCommit(tx, 'things', (m) => m.query(`INSERT INTO things (id) VALUES (100)`)); // duplicate key
        }),
      ).rejects.toThrow(/duplicate key/);
      expect(await ids()).not.toContain(120);
    });
  });
});
