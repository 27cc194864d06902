import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@talent/testing';
import { afterCommit } from './after-commit';
import { dataSourceOptions } from './data-source-options';

describe('afterCommit (real PostgreSQL)', () => {
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
});
