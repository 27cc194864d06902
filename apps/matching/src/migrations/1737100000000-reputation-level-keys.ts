import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lookup keys also say how well reputed a profile is: `<currency>^<level>` for every level
 * (55, 60, ... 95 hundredths) its reputation score reaches. A ranking that needs only the
 * best-reputed rows of a large tier adds the key of a level to its lookup, and the GIN scan
 * intersects the lists, so the table reads those rows instead of every row of the tier (see
 * the reputation floors in ranking.engine.ts). `talent_lookup_keys` replaces
 * `talent_skill_keys` in the index (its keys plus the levels); the country index goes: the keys
 * per country answer those lookups, and the planner, unable to estimate the computed keys,
 * preferred it and read whole countries.
 */
export class ReputationLevelKeys1737100000000 implements MigrationInterface {
  name = 'ReputationLevelKeys1737100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION talent_lookup_keys(currency text, country text, skills text[], rep_score float8) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN talent_skill_keys(currency, country, skills)
               || ARRAY(SELECT currency || '^' || level FROM generate_series(55, 95, 5) AS level WHERE rep_score >= level / 100::float8)`);
    await q.query(
      `CREATE INDEX talent_profiles_lookup_keys_gin ON talent_profiles USING gin (talent_lookup_keys(currency, country, skills, rep_score)) WHERE eligible`,
    );
    await q.query(`DROP INDEX talent_profiles_skill_keys_gin`);
    await q.query(`DROP INDEX talent_profiles_country_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX talent_profiles_country_idx ON talent_profiles (country) WHERE eligible`);
    await q.query(`CREATE INDEX talent_profiles_skill_keys_gin ON talent_profiles USING gin (talent_skill_keys(currency, country, skills)) WHERE eligible`);
    await q.query(`DROP INDEX talent_profiles_lookup_keys_gin`);
    await q.query(`DROP FUNCTION talent_lookup_keys(text, text, text[], float8)`);
  }
}
