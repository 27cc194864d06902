import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createEvent, JobClosed, JobPosted, KycApproved, TalentScreened, type EventEnvelope } from '@talent/events';
import { jobPostedFor, openMatching, type MatchingHarness } from '../../test/harness';
import { UpsertTalentProfile } from '../profiles/upsert-talent-profile';
import { RankingEngine } from './ranking.engine';
import { evaluate, isCandidate, reputationScore, type JobCriteria, type TalentFacts } from './scoring';
import { SkillStatistics } from './skill-statistics';

/*
 * The ranking engine on a real PostgreSQL database with matching's own migration: which
 * talent it proposes for a job, in which order, with which reasons, and that its pruned
 * search returns exactly what scoring every profile would. The service is built from its
 * production module; events reach it through its consumer (inbox included).
 */

// Jest 30 reads testTimeout only from the global config, not from the integration project: set it here.
jest.setTimeout(60_000);

let h: MatchingHarness;
let dataSource: DataSource;
let statistics: SkillStatistics;
let engine: RankingEngine;
let upsertProfile: UpsertTalentProfile;

const MATCHES_PER_JOB = 5;

interface Seed extends TalentFacts {
  id: string;
  eligible: boolean;
}

let seeded: Seed[] = [];

const talent = (overrides: Partial<Seed> = {}): Seed => ({
  id: randomUUID(),
  eligible: true,
  skills: ['typescript', 'postgresql', 'kafka', 'graphql'],
  hourlyRate: '90.00',
  currency: 'USD',
  country: 'US',
  yearsExperience: 8,
  averageRating: null,
  ratingsCount: 0,
  ...overrides,
});

async function seed(...talents: Seed[]): Promise<Seed[]> {
  for (const t of talents) {
    await dataSource.query(
      `INSERT INTO talent_profiles (user_id, eligible, currency, years_experience, rep_score, country, skills, hourly_rate,
                                    average_rating, ratings_count, hours_per_week, open_to_work, headline)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 40, true, 'Engineer')`,
      [
        t.id,
        t.eligible,
        t.currency,
        t.yearsExperience,
        reputationScore(t.averageRating, t.ratingsCount),
        t.country,
        t.skills,
        t.hourlyRate,
        t.averageRating,
        t.ratingsCount,
      ],
    );
  }
  seeded.push(...talents);
  return talents;
}

const job = (overrides: Partial<JobCriteria> = {}): JobCriteria => ({
  id: randomUUID(),
  skills: ['typescript', 'postgresql', 'kafka', 'graphql'],
  countries: [],
  minYearsExperience: 5,
  currency: 'USD',
  budgetMin: '60.00',
  budgetMax: '100.00',
  unit: 'HOURLY',
  hoursPerWeek: 40,
  durationWeeks: 12,
  ...overrides,
});

const rank = (criteria: JobCriteria, limit = MATCHES_PER_JOB) => dataSource.transaction((tx) => engine.rank(tx, criteria, limit));

/** The reference answer: every seeded eligible profile filtered and scored in Node. */
function bruteForce(criteria: JobCriteria, limit: number) {
  return seeded
    .filter((t) => t.eligible && isCandidate(criteria, t))
    .map((t) => ({ id: t.id, score: evaluate(criteria, t).score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit);
}

const deliver = (envelope: EventEnvelope) => h.deliver(envelope);

beforeAll(async () => {
  h = await openMatching('ranking', { env: { MATCHES_PER_JOB: String(MATCHES_PER_JOB) } });
  dataSource = h.dataSource;
  statistics = h.app.get(SkillStatistics);
  engine = h.app.get(RankingEngine);
  upsertProfile = h.app.get(UpsertTalentProfile);
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

beforeEach(async () => {
  await dataSource.query('TRUNCATE talent_profiles, talent_eligibility, talent_reputation, matches, jobs, outbox, inbox');
  seeded = [];
  statistics.invalidate();
});

describe('RankingEngine', () => {
  it('ranks better skill coverage and an in-budget rate higher, with reasons', async () => {
    const [star, fullUnrated, threeSkills, aboveBudget, underMin] = await seed(
      talent({ averageRating: 4.8, ratingsCount: 12 }),
      talent(),
      talent({ skills: ['typescript', 'postgresql', 'kafka', 'rust'] }),
      talent({ hourlyRate: '120.00' }),
      talent({ yearsExperience: 2 }),
    );
    const { matches: ranked } = await rank(job());
    expect(ranked.map((m) => m.talentId)).toEqual([star.id, fullUnrated.id, aboveBudget.id, underMin.id, threeSkills.id]);
    expect(ranked.map((m) => m.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(ranked[0].reasons).toEqual(['skills 4/4', 'rate within budget', '8 years (min 5)', 'rating 4.8 (12)']);
    expect(ranked[2].reasons).toEqual(['skills 4/4', 'rate 20% above budget', '8 years (min 5)', 'no ratings yet']);
    expect(ranked[3].reasons[2]).toBe('2 years (min 5)');
    expect(ranked[4].reasons[0]).toBe('skills 3/4');
    for (const m of ranked) {
      expect(m.score).toBeGreaterThan(0);
      expect(m.score).toBeLessThanOrEqual(1);
    }
    const scores = ranked.map((m) => m.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('leaves out the ineligible, another currency, far above budget and no skill overlap', async () => {
    const [kept] = await seed(
      talent(),
      talent({ eligible: false, averageRating: 5, ratingsCount: 40 }),
      talent({ currency: 'EUR', hourlyRate: '50.00' }),
      talent({ hourlyRate: '150.01' }),
      talent({ skills: ['cobol', 'fortran'] }),
    );
    const [atCap] = await seed(talent({ hourlyRate: '150.00' }));
    const { matches: ranked } = await rank(job());
    expect(ranked.map((m) => m.talentId)).toEqual([kept.id, atCap.id]);
    expect(ranked[1].reasons[1]).toBe('rate 50% above budget');
  });

  it('keeps only the countries a job restricts to, and says where the talent is', async () => {
    const [us, , ca] = await seed(talent({ country: 'US' }), talent({ country: 'DE', averageRating: 5, ratingsCount: 20 }), talent({ country: 'CA' }));
    const { matches: ranked } = await rank(job({ countries: ['US', 'CA'] }));
    expect(ranked.map((m) => m.talentId).sort()).toEqual([us.id, ca.id].sort());
    expect(ranked.find((m) => m.talentId === ca.id)!.reasons.at(-1)).toBe('in CA');
    // Without a restriction the German talent leads (best reputation) and no country is said.
    const open = await rank(job());
    expect(open.matches[0].reasons).not.toContainEqual(expect.stringMatching(/^in /));
  });

  it('compares rate x hoursPerWeek x durationWeeks with a FIXED budget', async () => {
    // 20 h x 10 weeks: a 10,000 budget pays 50/h; 1.5 x is 75/h.
    const [cheap, pricey] = await seed(talent({ hourlyRate: '45.00' }), talent({ hourlyRate: '60.00' }));
    await seed(talent({ hourlyRate: '76.00' }));
    const fixed = job({ unit: 'FIXED', budgetMin: '8000', budgetMax: '10000', hoursPerWeek: 20, durationWeeks: 10 });
    const { matches: ranked } = await rank(fixed);
    expect(ranked.map((m) => m.talentId)).toEqual([cheap.id, pricey.id]);
    expect(ranked.map((m) => m.reasons[1])).toEqual(['rate within budget', 'rate 20% above budget']);
  });

  it('keeps the top N, and its scores are the reference formula', async () => {
    await seed(
      ...Array.from({ length: 30 }, (_, i) =>
        talent({
          skills: ['typescript', 'postgresql', 'kafka', 'graphql'].slice(0, 1 + (i % 4)),
          hourlyRate: `${70 + i}.00`,
          yearsExperience: i % 12,
          averageRating: i % 3 ? 3 + (i % 5) * 0.4 : null,
          ratingsCount: i % 3 ? 1 + i : 0,
        }),
      ),
    );
    const criteria = job();
    const { matches: ranked } = await rank(criteria, 7);
    expect(ranked).toHaveLength(7);
    expect(ranked.map((m) => m.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(ranked.map((m) => ({ id: m.talentId, score: m.score }))).toEqual(bruteForce(criteria, 7));
    for (const m of ranked) expect(m.score).toBe(evaluate(criteria, m.talent).score);
  });

  it('returns exactly what scoring every profile would, whatever shortcuts the search takes', async () => {
    // A Zipf-like skill vocabulary: a few skills on most profiles, a long tail of rare ones.
    let state = 7;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const vocabulary = Array.from({ length: 60 }, (_, i) => `skill-${i}`);
    const weights = vocabulary.map((_, i) => 1 / (i + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const pick = () => {
      let r = random() * total;
      for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) <= 0) return vocabulary[i];
      return vocabulary[vocabulary.length - 1];
    };
    const skills = (n: number) => {
      const set = new Set<string>();
      while (set.size < n) set.add(pick());
      return [...set];
    };
    const talents = Array.from({ length: 2500 }, () =>
      talent({
        skills: skills(2 + Math.floor(random() * 7)),
        hourlyRate: (20 + random() * 100).toFixed(2),
        currency: random() < 0.9 ? 'USD' : 'EUR',
        country: ['US', 'DE', 'IN', 'BR'][Math.floor(random() * 4)],
        yearsExperience: Math.floor(random() * 20),
        averageRating: random() < 0.5 ? Math.round((3 + random() * 2) * 10) / 10 : null,
        eligible: random() < 0.9,
      }),
    ).map((t) => ({ ...t, ratingsCount: t.averageRating === null ? 0 : 1 + Math.floor(random() * 20) }));
    const ids: string[] = [];
    const values: unknown[][] = [[], [], [], [], [], [], [], [], [], []];
    for (const t of talents) {
      ids.push(t.id);
      [
        t.eligible,
        t.currency,
        t.yearsExperience,
        reputationScore(t.averageRating, t.ratingsCount),
        t.country,
        `{${t.skills.join(',')}}`,
        t.hourlyRate,
        t.averageRating,
        t.ratingsCount,
      ].forEach((v, i) => values[i].push(v));
    }
    await dataSource.query(
      `INSERT INTO talent_profiles (user_id, eligible, currency, years_experience, rep_score, country, skills, hourly_rate,
                                    average_rating, ratings_count, hours_per_week, open_to_work, headline)
       SELECT u, e, c, y, r, co, s::text[], h, a, n, 40, true, 'Engineer'
         FROM unnest($1::uuid[], $2::boolean[], $3::text[], $4::int[], $5::float8[], $6::text[], $7::text[], $8::numeric[], $9::float8[], $10::int[])
           AS t(u, e, c, y, r, co, s, h, a, n)`,
      [ids, ...values.slice(0, 9)],
    );
    seeded.push(...talents);
    await dataSource.query('ANALYZE talent_profiles');
    statistics.invalidate();

    // The same statistics claiming a table a thousand times larger: the search then narrows
    // its GIN lookups (sets of skills, keys per country) as it does at a million profiles.
    const scaled = new SkillStatistics();
    const read = scaled.get.bind(scaled);
    scaled.get = async (tx) => {
      const actual = await read(tx);
      return actual && { ...actual, total: actual.total * 1000 };
    };
    const atScale = new RankingEngine(scaled);

    const seen = { probes: 0, widerTiers: 0, pairLookups: 0, skillSetLookups: 0, countryLookups: 0, reputationFloors: 0 };
    for (let i = 0; i < 60; i++) {
      const criteria = job({
        skills: skills(1 + Math.floor(random() * 5)),
        countries: random() < 0.3 ? ['US', 'IN'] : [],
        minYearsExperience: Math.floor(random() * 10),
        budgetMax: (30 + random() * 90).toFixed(2),
        unit: random() < 0.2 ? 'FIXED' : 'HOURLY',
        hoursPerWeek: 10 + Math.floor(random() * 30),
        durationWeeks: 1 + Math.floor(random() * 4),
      });
      if (criteria.unit === 'FIXED') criteria.budgetMax = (Number(criteria.budgetMax) * criteria.hoursPerWeek * criteria.durationWeeks).toFixed(2);
      const result = await rank(criteria, 10);
      if (result.steps.some((step) => step.probe !== null)) seen.probes++;
      if (result.steps.some((step) => step.tier > 0)) seen.widerTiers++;
      expect(result.matches.map((m) => ({ id: m.talentId, score: m.score }))).toEqual(bruteForce(criteria, 10));
      const scaledResult = await dataSource.transaction((tx) => atScale.rank(tx, criteria, 10));
      const lookups = scaledResult.steps.flatMap((step) => (step.lookup ? [step.lookup] : []));
      if (lookups.some((lookup) => lookup.sets.length > 1 && lookup.sets.every((set) => set.length === 2))) seen.pairLookups++;
      if (lookups.some((lookup) => lookup.sets.some((set) => set.length > 2))) seen.skillSetLookups++;
      if (lookups.some((lookup) => lookup.byCountry)) seen.countryLookups++;
      if (scaledResult.steps.some((step) => step.minReputationLevel !== null)) seen.reputationFloors++;
      expect(scaledResult.matches.map((m) => ({ id: m.talentId, score: m.score }))).toEqual(bruteForce(criteria, 10));
    }
    // The search did take its shortcuts on some of these jobs: reputation probes, coverage tiers,
    // lookups by pairs of skills, by larger sets and by country, reputation floors.
    expect(seen.probes).toBeGreaterThan(0);
    expect(seen.widerTiers).toBeGreaterThan(0);
    expect(seen.pairLookups).toBeGreaterThan(0);
    expect(seen.skillSetLookups).toBeGreaterThan(0);
    expect(seen.countryLookups).toBeGreaterThan(0);
    expect(seen.reputationFloors).toBeGreaterThan(0);
  });
});

describe('matching flow', () => {
  it('JobPosted stores the ranked matches, records the first match time and proposes them', async () => {
    const [a, b] = await seed(talent({ averageRating: 5, ratingsCount: 3 }), talent());
    const criteria = job();
    await deliver(createEvent(JobPosted, jobPostedFor(criteria)));
    const stored = await dataSource.query(`SELECT talent_id, rank, score, reasons FROM matches WHERE job_id = $1 ORDER BY rank`, [criteria.id]);
    expect(stored.map((r: { talent_id: string }) => r.talent_id)).toEqual([a.id, b.id]);
    expect(stored[0].reasons).toEqual(['skills 4/4', 'rate within budget', '8 years (min 5)', 'rating 5.0 (3)']);
    const [row] = await dataSource.query(`SELECT match_count, first_match_at, min_match_score FROM jobs WHERE id = $1`, [criteria.id]);
    expect(row.match_count).toBe(2);
    expect(row.first_match_at).toBeInstanceOf(Date);
    expect(row.min_match_score).toBe(stored[1].score);
    const events = await dataSource.query(`SELECT envelope FROM outbox WHERE type = 'MatchesProposed'`);
    expect(events).toHaveLength(1);
    expect(events[0].envelope.payload).toMatchObject({
      jobId: criteria.id,
      trigger: 'JOB_POSTED',
      matches: [
        { talentId: a.id, rank: 1, score: stored[0].score },
        { talentId: b.id, rank: 2, score: stored[1].score },
      ],
    });
  });

  it('a talent screened after their profile exists joins open jobs; a rejection removes them; a closed job stays as it was', async () => {
    const talentId = randomUUID();
    const caller = { id: talentId, roles: ['TALENT' as const] };
    const [incumbent] = await seed(talent({ hourlyRate: '110.00' }));
    const open = job();
    const closed = job();
    await deliver(createEvent(JobPosted, jobPostedFor(open)));
    await deliver(createEvent(JobPosted, jobPostedFor(closed)));
    await deliver(createEvent(JobClosed, { jobId: closed.id, clientId: randomUUID(), status: 'CLOSED', closedAt: new Date().toISOString() }));

    // Membership first, then the profile: not screened yet, so not matched.
    await deliver(
      createEvent(KycApproved, { caseId: randomUUID(), userId: talentId, reviewerId: randomUUID(), country: 'US', approvedAt: new Date().toISOString() }),
    );
    await upsertProfile.execute(
      { caller },
      {
        headline: 'Staff engineer',
        skills: ['TypeScript', 'PostgreSQL', 'Kafka', 'GraphQL'],
        yearsExperience: 12,
        hourlyRate: { amount: '80', currency: 'USD' },
        country: 'US',
        hoursPerWeek: 40,
        openToWork: true,
      },
    );
    const matchedOn = async (jobId: string) =>
      (await dataSource.query(`SELECT talent_id FROM matches WHERE job_id = $1 ORDER BY rank`, [jobId])).map((r: { talent_id: string }) => r.talent_id);
    expect(await matchedOn(open.id)).toEqual([incumbent.id]);

    const screened = (decision: 'APPROVED' | 'REJECTED', at: Date) =>
      deliver(createEvent(TalentScreened, { screeningId: randomUUID(), talentId, inspectorId: randomUUID(), decision, screenedAt: at.toISOString() }));
    await screened('APPROVED', new Date(Date.now() - 60_000));
    expect(await matchedOn(open.id)).toEqual([talentId, incumbent.id]);
    expect(await matchedOn(closed.id)).toEqual([incumbent.id]);
    const proposals = await dataSource.query(`SELECT envelope FROM outbox WHERE type = 'MatchesProposed' ORDER BY seq`);
    expect(proposals.at(-1).envelope.payload).toMatchObject({ jobId: open.id, trigger: 'TALENT_CHANGED' });

    // An older decision arriving late changes nothing; a newer rejection removes them.
    await screened('REJECTED', new Date(Date.now() - 120_000));
    expect(await matchedOn(open.id)).toEqual([talentId, incumbent.id]);
    await screened('REJECTED', new Date());
    expect(await matchedOn(open.id)).toEqual([incumbent.id]);
  });
});
