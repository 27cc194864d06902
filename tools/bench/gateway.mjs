// `npm run bench:gateway`: our gateway, Hive Gateway (on the same supergraph file) and the subgraph
// direct, side by side in one run, from a clean start: fresh databases, a local Kafka-protocol broker,
// identity + jobs + matching as production processes and a supergraph of exactly those three.
// Two authenticated queries:
//   1. one subgraph:  me { id displayName roles kycStatus isMember organizations { name } }
//   2. federated:     20 jobs (jobs) with their client's name (identity) and their matches (matching)
//                     with the talents' names (identity)
// Targets take turns in short rounds, so the machine's noise hits them evenly. Prints req/s, p50 and
// p99 for each target and query, the CPU each request cost the gateway and the subgraphs (from
// /proc: on 2 shared cores, CPU per request says where throughput goes better than req/s alone),
// how busy each gateway's JavaScript thread was (well under 100%, a gateway is waiting, not
// computing), then the `gateway/hive` and `gateway/direct` throughput ratios.
// Query 2 has no single subgraph to call direct: its "direct" is the jobs subgraph answering its own
// part of the plan (the list with client ids), so that ratio is a floor, not a like-for-like.
// Env: BENCH_DURATION (seconds per target and query, default 10), BENCH_CONNECTIONS (default 16),
//      BENCH_ROUNDS (turns per target, default 2), BENCH_CPU_PROFILE (a file: profiles our gateway
//      or, with BENCH_CPU_PROFILE_OF=identity|jobs|matching, that subgraph,
//      under this load and prints its top frames), BENCH_QUERIES (`me`, `jobs` or both, the default:
//      which queries to measure).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startBenchStack, summarizeCpuProfile } from './kit.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const testing = await import(path.join(root, 'libs/testing/dist/index.js'));
const { GATEWAY_SIGNATURE_HEADER, signGatewayRequest } = await import(path.join(root, 'libs/platform/dist/index.js'));
const { createInspector, errorCode, makeMember, registerPersona, screenApproved, signInAdmin, startServiceProcess, waitFor } = testing;

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CPU_PROFILE = process.env.BENCH_CPU_PROFILE ? path.resolve(process.env.BENCH_CPU_PROFILE) : undefined;
const PROFILED = process.env.BENCH_CPU_PROFILE_OF ?? 'gateway';
const MEASURED = (process.env.BENCH_QUERIES ?? 'me,jobs').split(',').map((key) => key.trim());
if (MEASURED.some((key) => !['me', 'jobs'].includes(key))) throw new Error(`BENCH_QUERIES: me, jobs or both (got ${process.env.BENCH_QUERIES})`);
const SUBGRAPHS = ['identity', 'jobs', 'matching'];
const JOBS = 20;
const TALENTS = 5;

const ME = 'query Me { me { id displayName roles kycStatus isMember organizations { name } } }';
const JOB_LIST = `query Jobs { jobs(first: ${JOBS}) { edges { node { id title client { displayName } matches(first: 3) { score talent { displayName } } } } } }`;
const JOB_LIST_JOBS_PART = `query Jobs { jobs(first: ${JOBS}) { edges { node { id title client { __typename id } } } } }`;

/** CPU time (user + system) in ms from a /proc stat file (clock ticks of 10 ms). */
const statCpuMs = (file) => {
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
/** CPU time a process has used, all its threads. */
const cpuMs = (pid) => statCpuMs(`/proc/${pid}/stat`);
/**
 * CPU time of a process's main thread alone (the thread JavaScript runs on; GC helpers and libuv's
 * pool are other threads), in ms: near the run's wall time, that process is bound by its one thread.
 */
const mainThreadCpuMs = (pid) => statCpuMs(`/proc/${pid}/task/${pid}/stat`);
const cpuOf = (pids) => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
/** The machine's busy and total CPU time so far, in ms (/proc/stat, all cores). */
const machineMs = () => {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = ticks[3] + ticks[4]; // idle + iowait
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) * 10, total: total * 10 };
};

const SKILLS = ['typescript', 'nestjs', 'postgresql', 'kafka', 'react', 'graphql'];
const PROFILE = `mutation ($input: TalentProfileInput!) { upsertTalentProfile(input: $input) { openToWork } }`;
const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;

const { stack, stop } = await startBenchStack(['jobs', 'matching'], {
  env: CPU_PROFILE ? { [PROFILED]: { NODE_OPTIONS: `-r ${path.join(root, 'tools/bench/cpu-profile.cjs')}`, CPU_PROFILE_PATH: CPU_PROFILE } } : {},
});
let hive;
try {
  // The same composition as the stack's gateway (same subgraphs, same cache): Hive reads this file.
  const supergraph = path.join(mkdtempSync(path.join(tmpdir(), 'bench-supergraph-')), 'supergraph.graphql');
  execFileSync(
    process.execPath,
    [
      path.join(root, 'tools/supergraph/compose.mjs'),
      '--subgraphs',
      SUBGRAPHS.join(','),
      '--out',
      supergraph,
      '--quiet',
      '--cache',
      path.join(tmpdir(), 'talent-subgraph-sdl'),
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const subgraphUrl = (name) => `${stack.services[name].process.url}/graphql`;
  const profiledPid = () => (PROFILED === 'gateway' ? stack.gateway.pid : stack.services[PROFILED].process.pid);
  const subgraphPids = SUBGRAPHS.map((name) => stack.services[name].process.pid);
  hive = await startServiceProcess({
    name: 'hive-gateway',
    entry: 'tools/bench/hive-gateway.mjs',
    env: {
      NODE_ENV: 'production',
      SUPERGRAPH_PATH: supergraph,
      GATEWAY_SECRET: stack.gatewaySecret,
      ...Object.fromEntries(SUBGRAPHS.map((name) => [`SUBGRAPH_${name.toUpperCase()}_URL`, subgraphUrl(name)])),
    },
  });

  process.stderr.write('seeding: a client with two organizations, talents with profiles, jobs with matches\n');
  const admin = await signInAdmin(stack);
  const inspector = await createInspector(stack, admin);
  await makeMember(stack, inspector, admin);
  const client = await registerPersona(stack, ['CLIENT'], 'Bench Client');
  await makeMember(stack, client, inspector);
  for (const name of ['Acme Robotics', 'Globex Payments']) await client.api.data(`mutation($n: String!) { createOrganization(name: $n) { id } }`, { n: name });
  for (let i = 0; i < TALENTS; i++) {
    const talent = await registerPersona(stack, ['TALENT'], `Bench Talent ${i + 1}`);
    await makeMember(stack, talent, inspector);
    await screenApproved(inspector, talent);
    await talent.api.data(PROFILE, {
      input: {
        headline: `Engineer ${i + 1}`,
        skills: SKILLS.slice(i % 3, (i % 3) + 4),
        yearsExperience: 5 + i,
        hourlyRate: { amount: String(60 + 5 * i), currency: 'USD' },
        country: 'PT',
        hoursPerWeek: 30,
        openToWork: true,
      },
    });
  }
  const jobIds = [];
  for (let i = 0; i < JOBS; i++) {
    const input = {
      title: `Bench job ${i + 1}`,
      description: 'A job posted by the gateway benchmark.',
      skills: SKILLS.slice(i % 4, (i % 4) + 3),
      minYearsExperience: 2,
      countries: [],
      budget: { min: { amount: '50', currency: 'USD' }, max: { amount: '120', currency: 'USD' }, unit: 'HOURLY' },
      hoursPerWeek: 30,
      durationWeeks: 12,
    };
    // Membership reaches jobs through KycApproved on Kafka: the first post may come too early.
    const posted = await waitFor(
      async () => {
        const res = await client.api.request(POST_JOB, { input });
        return res.data?.postJob ?? (errorCode(res) === 'PRECONDITION_FAILED' ? undefined : Promise.reject(new Error(JSON.stringify(res.errors))));
      },
      30_000,
      { message: 'client became a member in jobs' },
    );
    jobIds.push(posted.id);
  }
  // Matching proposes talents from JobPosted events: wait until every job lists some.
  await waitFor(
    async () => {
      const { jobs } = await client.api.data(JOB_LIST);
      return jobs.edges.length === JOBS && jobs.edges.every((e) => e.node.matches.length > 0) ? true : undefined;
    },
    60_000,
    { message: 'matches for every job', intervalMs: 500 },
  );

  const signed = (req) => ({ ...req, headers: { ...req.headers, [GATEWAY_SIGNATURE_HEADER]: signGatewayRequest(stack.gatewaySecret, req.body) } });
  const queries = [
    {
      key: 'me',
      label: 'query 1: me { ... organizations { name } } (identity only)',
      ratioLabel: 'query 1 (me)',
      targets: [
        { name: 'gateway', url: `${stack.gateway.url}/graphql`, query: ME },
        { name: 'hive', url: `${hive.url}/graphql`, query: ME },
        { name: 'direct', label: 'identity subgraph direct', url: subgraphUrl('identity'), query: ME, signed: true },
      ],
    },
    {
      key: 'jobs',
      label: `query 2: ${JOBS} jobs with client and matched talent names (jobs, identity, matching)`,
      ratioLabel: `query 2 (${JOBS} jobs, federated)`,
      targets: [
        { name: 'gateway', url: `${stack.gateway.url}/graphql`, query: JOB_LIST },
        { name: 'hive', url: `${hive.url}/graphql`, query: JOB_LIST },
        { name: 'direct', label: 'jobs subgraph direct (its part of the plan only)', url: subgraphUrl('jobs'), query: JOB_LIST_JOBS_PART, signed: true },
      ],
    },
  ].filter((query) => MEASURED.includes(query.key));

  // Same answers from both gateways, and no errors anywhere, before anything is timed.
  for (const { targets } of queries) {
    const answers = [];
    for (const target of targets) {
      const body = JSON.stringify({ query: target.query });
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${client.accessToken}` };
      const res = await fetch(target.url, { method: 'POST', body, headers: target.signed ? signed({ body, headers }).headers : headers });
      const json = await res.json();
      if (!res.ok || json.errors) throw new Error(`${target.name}: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
      answers.push(JSON.stringify(json.data));
    }
    if (answers[0] !== answers[1]) throw new Error(`gateway and hive answer differently:\n${answers[0]}\n${answers[1]}`);
  }

  const optionsOf = (target) => ({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${client.accessToken}` },
    body: JSON.stringify({ query: target.query }),
    connections: CONNECTIONS,
    // Signed per request as the gateway signs (subgraphs answer nothing else): the check is in every figure.
    ...(target.signed ? { requests: [{ setupRequest: signed }] } : {}),
  });
  const totalSeconds = queries.length * 3 * (DURATION + 2);
  process.stderr.write(`measuring: ${queries.length} queries x 3 targets x ${DURATION}s in ${ROUNDS} rounds (about ${totalSeconds}s)\n`);
  const lines = [];
  if (CPU_PROFILE) {
    rmSync(CPU_PROFILE, { force: true });
    process.kill(profiledPid(), 'SIGWINCH'); // starts sampling
  }
  for (const query of queries) {
    for (const target of query.targets) await autocannon({ ...optionsOf(target), duration: 2 }); // warm-up: JIT, JWKS, plan caches
    const runs = new Map(query.targets.map((t) => [t.name, []]));
    const cpu = new Map(query.targets.map((t) => [t.name, { gateway: 0, gatewayMain: 0, wall: 0, subgraphs: 0, client: 0, busy: 0, total: 0 }]));
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts with the next target, so none is always first (or last) after a pause.
      for (let k = 0; k < query.targets.length; k++) {
        const target = query.targets[(round + k) % query.targets.length];
        const gatewayPid = { gateway: stack.gateway.pid, hive: hive.pid }[target.name];
        const before = {
          gateway: gatewayPid ? cpuMs(gatewayPid) : 0,
          gatewayMain: gatewayPid ? mainThreadCpuMs(gatewayPid) : 0,
          wall: Date.now(),
          subgraphs: cpuOf(subgraphPids),
          client: cpuMs(process.pid),
          machine: machineMs(),
        };
        const r = await autocannon({ ...optionsOf(target), duration: DURATION / ROUNDS, skipAggregateResult: true });
        if (r.non2xx || r.errors) throw new Error(`${target.name}: ${r.non2xx} non-2xx responses, ${r.errors} errors`);
        runs.get(target.name).push(r);
        const used = cpu.get(target.name);
        used.gateway += gatewayPid ? cpuMs(gatewayPid) - before.gateway : 0;
        used.gatewayMain += gatewayPid ? mainThreadCpuMs(gatewayPid) - before.gatewayMain : 0;
        used.wall += Date.now() - before.wall;
        used.subgraphs += cpuOf(subgraphPids) - before.subgraphs;
        used.client += cpuMs(process.pid) - before.client;
        const machine = machineMs();
        used.busy += machine.busy - before.machine.busy;
        used.total += machine.total - before.machine.total;
      }
    }
    const rows = query.targets.map((target) => {
      const r = autocannon.aggregateResult(runs.get(target.name), optionsOf(target));
      const used = cpu.get(target.name);
      return {
        target: target.label ?? target.name,
        'req/s': Math.round(r.requests.total / DURATION),
        'p50 ms': r.latency.p50,
        'p99 ms': r.latency.p99,
        requests: r.requests.total,
        'gateway CPU ms/req': target.name === 'direct' ? '-' : (used.gateway / r.requests.total).toFixed(2),
        // Its JavaScript thread's share of the wall time: near 100%, that gateway is bound by its one thread.
        'gateway JS thread busy': target.name === 'direct' ? '-' : `${Math.round((100 * used.gatewayMain) / used.wall)}%`,
        'subgraphs CPU ms/req': (used.subgraphs / r.requests.total).toFixed(2),
        // The load generator (autocannon, in this process) and the whole machine: near 100% busy, throughput is bound by CPU.
        'client CPU ms/req': (used.client / r.requests.total).toFixed(2),
        'machine busy': `${Math.round((100 * used.busy) / used.total)}%`,
      };
    });
    console.log(`\n${query.label}: ${CONNECTIONS} connections, ${DURATION}s per target in ${ROUNDS} rounds, NODE_ENV=production`);
    console.table(rows);
    const [ours, theirs, direct] = rows.map((row) => row['req/s']);
    lines.push(
      `gateway/hive throughput ratio: ${(ours / theirs).toFixed(2)} (${query.ratioLabel})`,
      `gateway/direct throughput ratio: ${(ours / direct).toFixed(2)} (${query.ratioLabel})`,
    );
  }
  console.log('');
  for (const line of lines) console.log(line);

  if (CPU_PROFILE) {
    process.kill(profiledPid(), 'SIGWINCH'); // writes the profile
    await waitFor(async () => (existsSync(CPU_PROFILE) ? true : undefined), 30_000, { message: `${PROFILED} wrote its CPU profile` });
    console.log(
      `\n${PROFILED === 'gateway' ? 'our gateway' : `the ${PROFILED} subgraph`}'s CPU profile (${CPU_PROFILE}), over the measurements (its idle time is the other targets' turns):\n${summarizeCpuProfile(JSON.parse(readFileSync(CPU_PROFILE, 'utf8')))}`,
    );
  }
} catch (error) {
  // What the processes said last, since they are gone with the stack.
  for (const proc of [stack.gateway, hive].filter(Boolean)) process.stderr.write(`--- ${proc.name} output (tail) ---\n${proc.output().slice(-3000)}\n`);
  throw error;
} finally {
  await hive?.stop();
  await stop();
}
