// `npm run build && node tools/bench/governance.mjs`: proposal voting at scale (issue 11).
//
// On the real stack (startStack: identity, governance and the gateway as processes with fresh
// databases, Redis, a Kafka-protocol broker: KAFKA_BROKERS or a kcat mock cluster started here).
// Set-up (not timed), by SQL straight into governance's database (events and the API would time
// the set-up, not the votes): BENCH_VOTERS members (default 100,000, approved 30 days before the
// snapshot) and BENCH_CHECKPOINTS balance checkpoints (default 1,000,000, spread over them, 18
// decimals, 3% of them 0), with generate_series bulk inserts. About 10% of the checkpoints fall AFTER
// the snapshot (all of them for 1 member in 500) and 1 in 997 exactly at it; 5% of the members
// delegate to another member before the snapshot (a fifth clear it again before the snapshot, a fifth
// move it after), 2% delegate only after the snapshot, 1 in 1,000 delegate to one of the real voters. Plus BENCH_CONCURRENCY (50) real users
// registered through the gateway, made members with checkpoints by SQL. Then ANALYZE.
// Proposals are inserted by SQL as ACTIVE (snapshot 2 h ago, ends in 30 days), total_power from
// governance's own TotalVotingPower (the built module) and quorum = governance.quorumFraction x
// total, rounded up to 18 decimals, as createProposal fixes them.
//  1. Weights: every member's voting power at the snapshot in ONE set-based statement (timed), checked
//     against the service's per-user statement (VotingPowerService.votingPowerAt of the built module,
//     its own SQL) for BENCH_SAMPLE (1,000) members drawn by a seeded PRNG, the 50 real voters included:
//     exact NUMERIC equality. The per-user path is timed too and extrapolated to every member. The sum
//     of the weights must also equal TotalVotingPower (delegation moves power, never creates it).
//  2. Tally: one vote per member with weight > 0 inserted by SQL (weights from 1), the proposal's stored
//     running tallies set from a recount (the SQL insert bypassed castVote, which keeps them), then a
//     full recount (sum per support over votes) vs reading the stored tallies, median of 5 each.
//  3. castVote: the real voters vote at once through the gateway (BENCH_CONCURRENCY in flight) on
//     BENCH_PROPOSALS proposals (default 10, the first one being the proposal of 2 with its ~100,000
//     votes), after an untimed warm-up proposal; each vote's weight must equal its voter's weight from 1;
//     baseline at the same concurrency: `proposal(id) { id status }` reads. Afterwards every proposal's
//     stored tallies must equal a recount of its votes.
// Prints the timings and ratios; exits 1 on any request error or mismatch. The stack (and the broker,
// when started here) is stopped at the end, on failure too.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const load = (p) => import(path.join(root, p));
const { registerPersona } = await load('libs/testing/dist/index.js');
const { toUnits: units } = await load('libs/platform/dist/index.js');
const { prng, run, startBenchStack, stats } = await import('./kit.mjs');
const { VotingPowerService } = await load('apps/governance/dist/delegation/voting-power.service.js');
const { TotalVotingPower } = await load('apps/governance/dist/votes/total-voting-power.js');

const VOTERS = Number(process.env.BENCH_VOTERS ?? 100_000);
const CHECKPOINTS = Number(process.env.BENCH_CHECKPOINTS ?? 1_000_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const PROPOSALS = Number(process.env.BENCH_PROPOSALS ?? 10);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 1_000);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'error';

const CAST = `mutation ($p: ID!, $s: VoteSupport!) { castVote(proposalId: $p, support: $s) { id support weight } }`;
const READ = `query ($p: ID!) { proposal(id: $p) { id status } }`;
const SUPPORTS = ['FOR', 'AGAINST', 'ABSTAIN'];

const median = (xs) => stats(xs).p50;
const ms = (x) => Number(x.toFixed(2));
const seconds = (x) => `${(x / 1000).toFixed(2)} s`;
const timed = async (fn) => {
  const started = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - started };
};

// Deterministic member ids: md5 of a label, as a uuid (no helper table needed).
const memberId = (n) => `md5('bench-member-' || ${n})::uuid`;

/**
 * Every member's voting power at $1, set-based: balance at T = the latest checkpoint with
 * changed_at <= T (0 when none), delegation at T = the latest row with from_time <= T; own balance
 * unless delegated to someone, plus the balances at T of the users whose delegation at T names the member.
 */
const WEIGHTS_AT = `
  WITH bal AS (
    SELECT DISTINCT ON (user_id) user_id, balance FROM balance_checkpoints
     WHERE changed_at <= $1::timestamptz ORDER BY user_id, changed_at DESC, id DESC
  ),
  cur AS (
    SELECT DISTINCT ON (delegator_id) delegator_id, delegatee_id FROM delegations
     WHERE from_time <= $1::timestamptz ORDER BY delegator_id, from_time DESC, id DESC
  ),
  received AS (
    SELECT c.delegatee_id AS user_id, sum(b.balance) AS power
      FROM cur c JOIN bal b ON b.user_id = c.delegator_id
     WHERE c.delegatee_id IS NOT NULL GROUP BY c.delegatee_id
  )
  SELECT m.user_id,
         trim_scale(CASE WHEN c.delegatee_id IS NOT NULL THEN 0 ELSE COALESCE(b.balance, 0) END + COALESCE(r.power, 0)) AS weight
    FROM members m
    LEFT JOIN bal b ON b.user_id = m.user_id
    LEFT JOIN cur c ON c.delegator_id = m.user_id
    LEFT JOIN received r ON r.user_id = m.user_id`;

let exitCode = 0;
const { stack, stop: stopAll } = await startBenchStack('governance', { logLevel: LOG_LEVEL });

try {
  const sql = stack.services.governance.sql;
  const one = async (text, params) => (await sql(text, params))[0];
  // The service's own statements, run on this connection (the built modules, not copies).
  const tx = { query: (text, params) => sql(text, params) };
  const votingPower = new VotingPowerService({ manager: tx });
  const totalPower = new TotalVotingPower();

  const setupStarted = performance.now();
  const { now } = await one(`SELECT date_trunc('second', now()) AS now`);
  const snapshot = new Date(now.getTime() - 2 * 3_600_000);
  const approvedAt = new Date(snapshot.getTime() - 30 * 86_400_000);

  // The real voters: registered through the gateway, members and checkpoints by SQL.
  const voters = [];
  await run(CONCURRENCY, 5, async (i) => void (voters[i] = await registerPersona(stack, ['TALENT'], `Bench Voter ${i + 1}`)));
  const voterIds = voters.map((v) => v.id.toLowerCase());
  process.stderr.write(`${voters.length} voters registered through the gateway\n`);

  // Members.
  await sql(
    `INSERT INTO members (user_id, kyc_case_id, approved_at)
     SELECT ${memberId('n')}, gen_random_uuid(), $2::timestamptz - (n % 1000) * interval '1 minute' FROM generate_series(0::bigint, $1::int - 1) n
     UNION ALL SELECT u, gen_random_uuid(), $2::timestamptz FROM unnest($3::uuid[]) u`,
    [VOTERS, approvedAt, voterIds],
  );
  // Checkpoints, in batches of 200,000 (one statement each): checkpoint j belongs to member j % VOTERS;
  // 10% after the snapshot (up to 1 h after it; every one of 1 member in 500), 1 in 997 exactly at it,
  // the rest up to 29 days before.
  // Insertion order is not time order (late, older events), balances have 18 decimals, 3% are 0.
  const BATCH = 200_000;
  for (let from = 0; from < CHECKPOINTS; from += BATCH) {
    await sql(
      `INSERT INTO balance_checkpoints (user_id, balance, changed_at, entry_id)
       SELECT ${memberId('j % $2::int')},
              CASE WHEN random() < 0.03 THEN 0 ELSE round((random() * 10000)::numeric, 18) END,
              CASE WHEN j % 997 = 0 THEN $3::timestamptz
                   WHEN (j + j / $2::int) % 10 = 7 OR j % $2::int % 500 = 9 THEN $3::timestamptz + random() * interval '1 hour'
                   ELSE $3::timestamptz - interval '1 second' - random() * interval '29 days' END,
              gen_random_uuid()
         FROM generate_series($1::int, LEAST($1::int + ${BATCH}, $4::int) - 1) j`,
      [from, VOTERS, snapshot, CHECKPOINTS],
    );
    process.stderr.write(`  checkpoints: ${Math.min(from + BATCH, CHECKPOINTS)}/${CHECKPOINTS}\n`);
  }
  // The real voters: 5 checkpoints each before the snapshot, one after (must not count).
  await sql(
    `INSERT INTO balance_checkpoints (user_id, balance, changed_at, entry_id)
     SELECT u, round((1 + random() * 5000)::numeric, 18), $2::timestamptz - k * interval '1 day', gen_random_uuid()
       FROM unnest($1::uuid[]) u, generate_series(1, 5) k
     UNION ALL SELECT u, 1000000, $2::timestamptz + interval '10 minutes', gen_random_uuid() FROM unnest($1::uuid[]) u`,
    [voterIds, snapshot],
  );
  // Delegations (the target is never the delegator: CHECK).
  const target = (expr, k) => `${memberId(`((${expr}) * ${k} + 13) % $1::int`)}`;
  await sql(
    `INSERT INTO delegations (delegator_id, delegatee_id, from_time)
     -- 5% delegate before the snapshot
     SELECT ${memberId('n')}, ${target('n', 7919)}, $2::timestamptz - interval '20 days' + (n % 97) * interval '1 hour'
       FROM generate_series(0::bigint, $1::int - 1) n WHERE n % 20 = 1 AND (n * 7919 + 13) % $1::int <> n
     UNION ALL -- a fifth of them clear it again before the snapshot
     SELECT ${memberId('n')}, NULL, $2::timestamptz - interval '1 day' FROM generate_series(0::bigint, $1::int - 1) n WHERE n % 100 = 1
     UNION ALL -- another fifth move it to someone else after the snapshot (must not count)
     SELECT ${memberId('n')}, ${target('n', 104729)}, $2::timestamptz + interval '5 minutes'
       FROM generate_series(0::bigint, $1::int - 1) n WHERE n % 100 = 21 AND (n * 104729 + 13) % $1::int <> n
     UNION ALL -- 2% delegate only after the snapshot (must not count)
     SELECT ${memberId('n')}, ${target('n', 31)}, $2::timestamptz + interval '30 minutes'
       FROM generate_series(0::bigint, $1::int - 1) n WHERE n % 50 = 3 AND (n * 31 + 13) % $1::int <> n
     UNION ALL -- 1 in 1,000 delegate to one of the real voters
     SELECT ${memberId('n')}, ($3::uuid[])[1 + n % cardinality($3::uuid[])], $2::timestamptz - interval '3 days'
       FROM generate_series(0::bigint, $1::int - 1) n WHERE n % 1000 = 7`,
    [VOTERS, snapshot, voterIds],
  );
  await sql(`ANALYZE members; ANALYZE balance_checkpoints; ANALYZE delegations`);
  const counts = await one(
    `SELECT (SELECT count(*)::int FROM members) AS members, (SELECT count(*)::int FROM balance_checkpoints) AS checkpoints,
            (SELECT count(*)::int FROM balance_checkpoints WHERE changed_at > $1) AS after,
            (SELECT count(*)::int FROM delegations) AS delegations, (SELECT count(*)::int FROM delegations WHERE from_time > $1) AS "delegationsAfter"`,
    [snapshot],
  );
  const members = counts.members;

  // Proposals, as createProposal fixes them: total power at the snapshot (the service's statement), quorum rounded up.
  const total = await totalPower.at(tx, snapshot);
  const { value: fraction } = await one(`SELECT value FROM governance_parameters WHERE key = 'governance.quorumFraction'`);
  const { quorum } = await one(`SELECT trim_scale(ceil($1::numeric * $2::numeric * 1e18) / 1e18)::text AS quorum`, [total, fraction]);
  const proposer = voterIds[0];
  const createProposal = async (title) => {
    const id = randomUUID();
    await sql(
      `INSERT INTO proposals (id, proposer_id, title, description, kind, status, snapshot_at, starts_at, ends_at, total_power, quorum, created_at)
       VALUES ($1, $2, $3, 'Benchmark proposal', 'TEXT', 'ACTIVE', $4, $4, $5::timestamptz + interval '30 days', $6, $7, $4)`,
      [id, proposer, title, snapshot, now, total, quorum],
    );
    return id;
  };
  const bigProposal = await createProposal('Bench: the big vote');
  const warmupProposal = await createProposal('Bench: warm-up');
  const proposals = [bigProposal];
  for (let i = 1; i < PROPOSALS; i++) proposals.push(await createProposal(`Bench: round ${i + 1}`));
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  process.stderr.write(`set-up done in ${setupSeconds.toFixed(1)} s\n`);

  const checks = [];
  const check = (what, value, ok) => checks.push({ check: what, value, ok });

  // ---- 1. Weights at the snapshot.
  await sql(`CREATE TEMP TABLE bench_weights (user_id uuid PRIMARY KEY, weight numeric NOT NULL)`);
  const setBased = await timed(() => sql(`INSERT INTO bench_weights ${WEIGHTS_AT}`, [snapshot]));
  const weights = new Map((await sql(`SELECT user_id::text, weight::text FROM bench_weights`)).map((r) => [r.user_id, r.weight]));
  const summary = await one(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE weight > 0)::int AS positive, trim_scale(sum(weight))::text AS sum FROM bench_weights`,
  );
  // A second run of the set-based statement, warm (the first one read the freshly loaded pages).
  const setBasedWarm = await timed(() => sql(`SELECT count(*) FROM (${WEIGHTS_AT}) w`, [snapshot]));
  const totalTimed = await timed(() => totalPower.at(tx, snapshot));

  const pick = prng(20_261_130);
  const allIds = [...weights.keys()];
  const sample = new Set(voterIds);
  while (sample.size < Math.min(SAMPLE, allIds.length)) sample.add(allIds[Math.floor(pick() * allIds.length)]);
  const perUserMs = [];
  const mismatches = [];
  for (const userId of sample) {
    const { result, ms: took } = await timed(() => votingPower.votingPowerAt(userId, snapshot, tx));
    perUserMs.push(took);
    if (units(result) !== units(weights.get(userId))) mismatches.push({ userId, perUser: result, setBased: weights.get(userId) });
  }
  const perUserTotalMs = perUserMs.reduce((a, b) => a + b, 0);
  const perUserExtrapolated = (perUserTotalMs / perUserMs.length) * members;

  console.log(
    `\ngovernance: ${members} members (${VOTERS} by SQL + ${voters.length} registered), ${counts.checkpoints} checkpoints ` +
      `(${counts.after} after the snapshot), ${counts.delegations} delegations (${counts.delegationsAfter} after it); set-up ${setupSeconds.toFixed(1)} s\n`,
  );
  console.log("1. every member's voting power at the snapshot");
  console.table([
    { path: 'set-based, one statement (into a temp table)', members, time: seconds(setBased.ms) },
    { path: 'set-based again, warm (count only)', members, time: seconds(setBasedWarm.ms) },
    { path: `per user (VotingPowerService), ${perUserMs.length} sampled, sequential`, members: perUserMs.length, time: seconds(perUserTotalMs) },
    { path: '  extrapolated to every member', members, time: seconds(perUserExtrapolated) },
    { path: 'TotalVotingPower.at (one statement)', members, time: seconds(totalTimed.ms) },
  ]);
  const perUser = stats(perUserMs);
  console.log(
    `per-user statement: p50 ${ms(perUser.p50)} ms, p95 ${ms(perUser.p95)} ms; ` +
      `per-user extrapolated / set-based: ${(perUserExtrapolated / setBased.ms).toFixed(1)}x (warm: ${(perUserExtrapolated / setBasedWarm.ms).toFixed(1)}x)\n`,
  );
  check(`sampled members whose set-based weight = VotingPowerService (${sample.size})`, sample.size - mismatches.length, mismatches.length === 0);
  check(`sum of the weights = TotalVotingPower (${total})`, summary.sum, units(summary.sum ?? '0') === units(total));
  check('members with weight > 0', summary.positive, summary.positive > 0);

  // ---- 2. Tally: one vote per member with power, inserted by SQL.
  const inserted = await timed(() =>
    sql(
      `INSERT INTO votes (id, proposal_id, voter_id, support, weight, created_at)
       SELECT gen_random_uuid(), $1, w.user_id,
              (ARRAY['FOR', 'FOR', 'FOR', 'AGAINST', 'AGAINST', 'ABSTAIN'])[1 + abs(hashtext(w.user_id::text)) % 6],
              w.weight, $2::timestamptz + random() * ($3::timestamptz - $2::timestamptz)
         FROM bench_weights w WHERE w.weight > 0 AND NOT (w.user_id = ANY($4::uuid[]))`,
      [bigProposal, snapshot, now, voterIds],
    ),
  );
  await sql(`ANALYZE votes`);
  const { votes: sqlVotes } = await one(`SELECT count(*)::int AS votes FROM votes WHERE proposal_id = $1`, [bigProposal]);
  const RECOUNT = `
    SELECT trim_scale(COALESCE(sum(weight) FILTER (WHERE support = 'FOR'), 0))::text AS "for",
           trim_scale(COALESCE(sum(weight) FILTER (WHERE support = 'AGAINST'), 0))::text AS against,
           trim_scale(COALESCE(sum(weight) FILTER (WHERE support = 'ABSTAIN'), 0))::text AS abstain,
           count(*)::int AS votes
      FROM votes WHERE proposal_id = $1`;
  const STORED = `SELECT trim_scale(for_votes)::text AS "for", trim_scale(against_votes)::text AS against, trim_scale(abstain_votes)::text AS abstain FROM proposals WHERE id = $1`;
  const same = (a, b) => ['for', 'against', 'abstain'].every((k) => units(a[k]) === units(b[k]));
  const storedBefore = await one(STORED, [bigProposal]);
  const recountBefore = await one(RECOUNT, [bigProposal]);
  const agreedBefore = same(storedBefore, recountBefore);
  // The SQL insert bypassed castVote, which keeps the running tallies: set them from the recount (and
  // quorum_reached_at, as the vote that reaches the quorum would).
  await sql(
    `UPDATE proposals SET for_votes = $2, against_votes = $3, abstain_votes = $4, updated_at = now(),
            quorum_reached_at = CASE WHEN $2::numeric + $4::numeric >= quorum THEN now() END
      WHERE id = $1`,
    [bigProposal, recountBefore.for, recountBefore.against, recountBefore.abstain],
  );
  const recountMs = [];
  const storedMs = [];
  let recount;
  let stored;
  for (let i = 0; i < 5; i++) {
    const r = await timed(() => one(RECOUNT, [bigProposal]));
    recountMs.push(r.ms);
    recount = r.result;
    const s = await timed(() => one(STORED, [bigProposal]));
    storedMs.push(s.ms);
    stored = s.result;
  }
  console.log(`2. tally of ${sqlVotes} votes (inserted by SQL in ${seconds(inserted.ms)})`);
  console.table([
    {
      what: 'full recount: sum(weight) per support over votes',
      'median ms': ms(median(recountMs)),
      'first ms': ms(recountMs[0]),
      FOR: recount.for,
      AGAINST: recount.against,
      ABSTAIN: recount.abstain,
    },
    {
      what: 'stored running tallies (proposals row)',
      'median ms': ms(median(storedMs)),
      'first ms': ms(storedMs[0]),
      FOR: stored.for,
      AGAINST: stored.against,
      ABSTAIN: stored.abstain,
    },
  ]);
  console.log(
    `stored tallies before the update: ${agreedBefore ? 'agreed' : `did not agree (FOR ${storedBefore.for}: the SQL insert bypassed castVote), set from the recount`}; ` +
      `recount / stored: ${(median(recountMs) / median(storedMs)).toFixed(0)}x\n`,
  );
  check('recount = stored tallies (after setting them)', same(recount, stored) ? 'equal' : 'differ', same(recount, stored));

  // ---- 3. castVote through the gateway, BENCH_CONCURRENCY voters at once.
  const errors = [];
  const supportOf = (p, v) => SUPPORTS[(p * 7 + v) % 3];
  const cast = async (proposalId, p, v) => {
    const started = performance.now();
    let res;
    try {
      res = await voters[v].api.request(CAST, { p: proposalId, s: supportOf(p, v) });
    } catch (error) {
      res = { errors: [{ message: error.message }], status: 0 };
    }
    const latency = performance.now() - started;
    const vote = res.data?.castVote;
    if (res.errors?.length || res.status !== 200 || !vote) errors.push({ proposalId, voter: voterIds[v], status: res.status, errors: res.errors });
    else if (units(vote.weight) !== units(weights.get(voterIds[v])) || vote.support !== supportOf(p, v)) {
      errors.push({ proposalId, voter: voterIds[v], weight: vote.weight, expected: weights.get(voterIds[v]), support: vote.support });
    }
    return latency;
  };
  const read = async (proposalId, v) => {
    const started = performance.now();
    let res;
    try {
      res = await voters[v].api.request(READ, { p: proposalId });
    } catch (error) {
      res = { errors: [{ message: error.message }], status: 0 };
    }
    const latency = performance.now() - started;
    if (res.errors?.length || res.status !== 200 || res.data?.proposal?.id !== proposalId || res.data.proposal.status !== 'ACTIVE') {
      errors.push({ read: proposalId, status: res.status, errors: res.errors, data: res.data });
    }
    return latency;
  };
  const V = voters.length;
  const calls = proposals.length * V;
  // Warm-up (untimed): JIT, JWKS and plan caches, connections.
  await run(V, CONCURRENCY, (i) => read(warmupProposal, i));
  await run(V, CONCURRENCY, (i) => cast(warmupProposal, PROPOSALS, i));
  if (errors.length) throw new Error(`warm-up failed: ${JSON.stringify(errors.slice(0, 3))}`);

  const readLatencies = [];
  const readSeconds = await run(calls, CONCURRENCY, async (i) => void readLatencies.push(await read(proposals[Math.floor(i / V)], i % V)), 'reads');
  const readErrors = errors.length;
  const castLatencies = [];
  const castSeconds = await run(
    calls,
    CONCURRENCY,
    async (i) => void castLatencies.push(await cast(proposals[Math.floor(i / V)], Math.floor(i / V), i % V)),
    'castVote',
  );
  const castErrors = errors.length - readErrors;

  const r = stats(readLatencies);
  const c = stats(castLatencies);
  console.log(
    `3. ${V} voters at once through the gateway, ${proposals.length} proposals (the first with the ${sqlVotes} votes above), ${CONCURRENCY} in flight`,
  );
  console.table([
    {
      what: 'proposal(id) read (baseline)',
      requests: calls,
      'per second': Math.round(calls / readSeconds),
      'p50 ms': ms(r.p50),
      'p95 ms': ms(r.p95),
      'p99 ms': ms(r.p99),
      errors: readErrors,
    },
    {
      what: 'castVote',
      requests: calls,
      'per second': Math.round(calls / castSeconds),
      'p50 ms': ms(c.p50),
      'p95 ms': ms(c.p95),
      'p99 ms': ms(c.p99),
      errors: castErrors,
    },
  ]);
  console.log(`castVote p95 / read p95: ${(c.p95 / r.p95).toFixed(2)}   votes/s / reads/s: ${(readSeconds / castSeconds).toFixed(2)}\n`);

  // Every proposal's stored running tallies equal a recount of its votes; every vote recorded once.
  let tallyMismatches = 0;
  for (const id of [warmupProposal, ...proposals]) {
    const [s, t] = [await one(STORED, [id]), await one(RECOUNT, [id])];
    const expected = (id === bigProposal ? sqlVotes : 0) + V;
    if (!same(s, t) || t.votes !== expected) {
      tallyMismatches++;
      console.log(`proposal ${id}: stored ${JSON.stringify(s)}, recount ${JSON.stringify(t)}, expected ${expected} votes`);
    }
  }
  const { wrongWeights } = await one(
    `SELECT count(*)::int AS "wrongWeights" FROM votes v JOIN bench_weights w ON w.user_id = v.voter_id WHERE v.weight <> w.weight`,
  );
  check(`castVote errors or weights <> phase 1 (${calls} + ${V} warm-up)`, castErrors, castErrors === 0);
  check('read errors', readErrors, readErrors === 0);
  check('proposals whose stored tallies <> recount or vote count (after castVote)', tallyMismatches, tallyMismatches === 0);
  check('stored votes whose weight <> phase 1 weight', wrongWeights, wrongWeights === 0);
  console.table(checks);
  if (mismatches.length) console.log(`first weight mismatches: ${JSON.stringify(mismatches.slice(0, 3))}`);
  if (errors.length) console.log(`first errors: ${JSON.stringify(errors.slice(0, 3))}`);
  if (checks.some((x) => !x.ok)) {
    console.log('FAILED: see the checks above');
    exitCode = 1;
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await stopAll();
}
process.exit(exitCode);
