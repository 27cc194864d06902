import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { createEvent, DeadLetterHeaders, JobPosted, ParameterChanged, Topics } from '@talent/events';
import { jobPostedFor, openMatching, type MatchingHarness } from '../../test/harness';
import { MatchesService } from '../matches/matches.service';
import { evaluate, reputationScore, WEIGHTS, type JobCriteria, type TalentFacts } from './scoring';
import { weightsInForce } from './weights';

/*
 * Governed ranking weights on a real PostgreSQL: governance's ParameterChanged changes the
 * weights the NEXT ranking uses (a job posted afterwards, or re-ranked because a talent changed),
 * never by an older change, never to a value matching cannot apply. The service is built from
 * its production module; the events reach it through its consumer (inbox included).
 */

jest.setTimeout(60_000);

let h: MatchingHarness;
let dataSource: DataSource;
let matches: MatchesService;

const T0 = Date.now();
const handle = <T>(fn: (tx: EntityManager) => Promise<T>) => dataSource.transaction(fn);
const change = (key: string, value: string, offsetMs: number) =>
  h.deliver(
    createEvent(ParameterChanged, {
      proposalId: randomUUID(),
      key,
      value,
      previousValue: null,
      effectiveAt: new Date(T0 + offsetMs).toISOString(),
    }),
  );
/** The dead letters of this test, emptied (the afterEach expects none left). */
const takeDeadLetters = () =>
  h.deadLetters.splice(0).map((record) => {
    const { topic, messages } = record as { topic: string; messages: Array<{ headers: Record<string, string> }> };
    return { topic, failure: messages[0].headers[DeadLetterHeaders.failure], errorClass: messages[0].headers[DeadLetterHeaders.errorClass] };
  });
const weights = () => handle((tx) => weightsInForce(tx));

interface Seed extends TalentFacts {
  id: string;
}
const talent = (overrides: Partial<Seed>): Seed => ({
  id: randomUUID(),
  skills: ['typescript', 'postgresql', 'kafka', 'graphql'],
  hourlyRate: '90.00',
  currency: 'USD',
  country: 'US',
  yearsExperience: 8,
  averageRating: null,
  ratingsCount: 0,
  ...overrides,
});
async function seed(t: Seed): Promise<Seed> {
  await dataSource.query(
    `INSERT INTO talent_profiles (user_id, eligible, currency, years_experience, rep_score, country, skills, hourly_rate,
                                  average_rating, ratings_count, hours_per_week, open_to_work, headline)
     VALUES ($1, true, $2, $3, $4, $5, $6, $7, $8, $9, 40, true, 'Engineer')`,
    [t.id, t.currency, t.yearsExperience, reputationScore(t.averageRating, t.ratingsCount), t.country, t.skills, t.hourlyRate, t.averageRating, t.ratingsCount],
  );
  return t;
}
const job = (): JobCriteria => ({
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
});
const post = (criteria: JobCriteria) => h.deliver(createEvent(JobPosted, jobPostedFor(criteria)));
const stored = async (jobId: string) =>
  (await dataSource.query(`SELECT talent_id, score FROM matches WHERE job_id = $1 ORDER BY rank`, [jobId])) as Array<{ talent_id: string; score: number }>;

beforeAll(async () => {
  h = await openMatching('weights', { env: { MATCHES_PER_JOB: '5' } });
  dataSource = h.dataSource;
  matches = h.app.get(MatchesService);
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

describe('governed ranking weights', () => {
  it('start as the built-in weights', async () => {
    expect(await weights()).toEqual(WEIGHTS);
  });

  it('reorder the next ranking after a change; rankings already stored keep their order until re-ranked', async () => {
    // Every skill but above budget (rate score 0.6) vs three of four skills within budget.
    const allSkills = await seed(talent({ hourlyRate: '120.00' }));
    const inBudget = await seed(talent({ skills: ['typescript', 'postgresql', 'kafka', 'rust'] }));
    const before = job();
    await post(before);
    expect((await stored(before.id)).map((m) => m.talent_id)).toEqual([allSkills.id, inBudget.id]);

    // The rate now weighs twice the skills: divided by the sum (1.8), the score stays 0..1.
    await change('matching.weights.rate', '1', 0);
    const w = await weights();
    expect(w.rate).toBeCloseTo(1 / 1.8, 15);
    expect(w.skills + w.rate + w.experience + w.reputation).toBeCloseTo(1, 15);
    expect((await stored(before.id)).map((m) => m.talent_id)).toEqual([allSkills.id, inBudget.id]);

    const after = job();
    await post(after);
    const ranked = await stored(after.id);
    expect(ranked.map((m) => m.talent_id)).toEqual([inBudget.id, allSkills.id]);
    // The database's score is scoring.ts's formula with the same weights, to the last bit.
    expect(ranked.map((m) => m.score)).toEqual([evaluate(after, inBudget, w).score, evaluate(after, allSkills, w).score]);

    // A talent change re-ranks the earlier job (and picks the jobs to re-rank) with the weights in force.
    await handle((tx) => matches.rematchForTalent(tx, inBudget.id));
    expect((await stored(before.id)).map((m) => m.talent_id)).toEqual([inBudget.id, allSkills.id]);
  });

  it('ignore an older change arriving late', async () => {
    const current = await weights();
    await change('matching.weights.rate', '0.2', -60_000);
    expect(await weights()).toEqual(current);
    expect(await dataSource.query(`SELECT value FROM governed_parameters WHERE key = 'matching.weights.rate'`)).toEqual([{ value: '1' }]);
  });

  it('refuse for good what matching cannot apply, changing nothing; ignore keys other services apply', async () => {
    const current = await weights();
    for (const [key, value] of [
      ['matching.weights.rate', '1.5'],
      ['matching.weights.rate', '-0.1'],
      ['matching.weights.rate', '0.12345'],
      ['matching.weights.rate', 'NaN'],
      ['matching.weights.luck', '0.5'],
      ['matching.somethingElse', '1'],
    ]) {
      await change(key, value, 60_000);
      // Refused for good by a DomainError (permanent) whose code is BAD_USER_INPUT (a BadUserInputError).
      expect(takeDeadLetters()).toEqual([{ topic: `${h.topic(Topics.governance)}.dlq`, failure: 'permanent', errorClass: 'BadUserInputError' }]);
    }
    await change('platform.feeRate', '0.05', 60_000);
    await change('rewards.talent.screened.amount', '30', 60_000);
    expect(await weights()).toEqual(current);
  });

  it('weigh every part the same when governance sets them all to 0', async () => {
    for (const part of ['skills', 'rate', 'experience', 'reputation']) await change(`matching.weights.${part}`, '0', 120_000);
    expect(await weights()).toEqual({ skills: 0.25, rate: 0.25, experience: 0.25, reputation: 0.25 });
  });
});
