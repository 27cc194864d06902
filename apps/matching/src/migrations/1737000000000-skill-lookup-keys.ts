import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ranking looks candidates up by skill within the job's currency, its countries, and by pairs
 * of skills: `talent_skill_keys` gives a profile the keys `<currency>:<skill>`,
 * `<currency>-<country>:<skill>` and `<currency>:<skill a><tab><skill b>` for every pair of its
 * skills (a before b in byte order; normalised skills never hold a tab, currencies are three
 * letters and countries two, so no key reads two ways), and the GIN index on them replaces the
 * one on bare skills. At a million profiles, reading every profile with a common skill (in
 * every currency and country) and testing the rest on the row was most of a ranking's time;
 * pair keys answer "two of these skills" from the index, and keep `@>` lookups off the long
 * posting lists of common skills. See setKeys in ranking-sql.ts.
 */
export class SkillLookupKeys1737000000000 implements MigrationInterface {
  name = 'SkillLookupKeys1737000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION talent_skill_keys(currency text, country text, skills text[]) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN ARRAY(SELECT currency || ':' || s FROM unnest(skills) AS s
                     UNION ALL SELECT currency || '-' || country || ':' || s FROM unnest(skills) AS s
                     UNION ALL SELECT currency || ':' || a || E'\\t' || b FROM unnest(skills) AS a, unnest(skills) AS b
                                WHERE a COLLATE "C" < b COLLATE "C")`);
    await q.query(`CREATE INDEX talent_profiles_skill_keys_gin ON talent_profiles USING gin (talent_skill_keys(currency, country, skills)) WHERE eligible`);
    await q.query(`DROP INDEX talent_profiles_skills_gin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX talent_profiles_skills_gin ON talent_profiles USING gin (skills) WHERE eligible`);
    await q.query(`DROP INDEX talent_profiles_skill_keys_gin`);
    await q.query(`DROP FUNCTION talent_skill_keys(text, text, text[])`);
  }
}
