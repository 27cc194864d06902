// `npm run seed`: fills a running stack with realistic demo data through the public
// GraphQL API, as a frontend would. Safe to run again: existing accounts are signed into,
// finished steps are skipped.
// Env: GATEWAY_URL (default http://localhost:4000/graphql), ADMIN_EMAIL / ADMIN_PASSWORD (the bootstrap admin);
// DEMO_PARTNER_WEBHOOK_URL (a partner node's receiver; `npm run dev` runs one) and DEMO_PARTNER_SECRET_FILE
// (where its signing secret, shown once, is kept for that receiver).

import { writeFileSync } from 'node:fs';

const GATEWAY_URL = process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql';
const ADMIN_EMAIL = process.env.ADMIN_EMAIL || 'admin@talent.local';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || 'admin-password-dev';
export const DEMO_PASSWORD = 'demo-password-123';

/** The demo cast. `kyc`: what happens to their KYC; `screening`: the inspector's decision for talent. */
export const DEMO_USERS = [
  { key: 'inspector', displayName: 'Iris Okafor', roles: ['TALENT'], grant: 'INSPECTOR', kyc: 'APPROVE', country: 'NG' },
  { key: 'ada', displayName: 'Ada Nakamura', roles: ['TALENT'], kyc: 'APPROVE', screening: 'APPROVE', country: 'JP' },
  { key: 'bruno', displayName: 'Bruno Silva', roles: ['TALENT', 'CONNECTOR'], kyc: 'APPROVE', screening: 'APPROVE', country: 'BR' },
  { key: 'chen', displayName: 'Chen Wei', roles: ['TALENT'], kyc: 'APPROVE', screening: 'APPROVE', country: 'SG' },
  { key: 'dara', displayName: 'Dara Murphy', roles: ['TALENT'], kyc: 'APPROVE', screening: 'REJECT', country: 'IE' },
  { key: 'emeka', displayName: 'Emeka Eze', roles: ['TALENT'], kyc: 'PENDING', country: 'NG' },
  { key: 'farah', displayName: 'Farah Haddad', roles: ['TALENT'], kyc: 'REJECT', country: 'JO' },
  { key: 'globex', displayName: 'Greta Lindqvist', roles: ['CLIENT'], kyc: 'APPROVE', country: 'SE', organization: 'Globex Robotics' },
  { key: 'initech', displayName: 'Ivan Petrov', roles: ['CLIENT'], kyc: 'APPROVE', country: 'DE', organization: 'Initech Payments' },
  { key: 'hana', displayName: 'Hana Kowalski', roles: ['CONNECTOR'], kyc: 'APPROVE', country: 'PL' },
];

const emailOf = (key) => `${key}@demo.talent.local`;

async function gql(query, variables, token) {
  const res = await fetch(GATEWAY_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  return body;
}

async function must(query, variables, token) {
  const body = await gql(query, variables, token);
  if (body.errors?.length) throw new Error(`${body.errors[0].extensions?.code ?? ''} ${body.errors[0].message}`);
  return body.data;
}

const USER_FIELDS = 'id displayName roles kycStatus isMember screeningStatus';

/** Retries a call while another service has not yet caught up through Kafka (e.g. membership). */
async function eventually(call, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${error.message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const PROFILES = {
  ada: {
    headline: 'Backend engineer: payments and ledgers',
    skills: ['typescript', 'nestjs', 'postgresql', 'kafka'],
    yearsExperience: 8,
    rate: '85',
    hoursPerWeek: 30,
  },
  bruno: { headline: 'Full-stack engineer', skills: ['typescript', 'react', 'node.js', 'graphql'], yearsExperience: 6, rate: '70', hoursPerWeek: 40 },
  chen: { headline: 'Data engineer', skills: ['python', 'postgresql', 'kafka', 'airflow'], yearsExperience: 5, rate: '75', hoursPerWeek: 35 },
  dara: { headline: 'Product designer', skills: ['figma', 'design systems', 'user research'], yearsExperience: 9, rate: '90', hoursPerWeek: 25 },
  emeka: { headline: 'Mobile engineer', skills: ['kotlin', 'swift', 'react native'], yearsExperience: 4, rate: '60', hoursPerWeek: 40 },
  inspector: {
    headline: 'Staff engineer and talent inspector',
    skills: ['typescript', 'go', 'postgresql'],
    yearsExperience: 12,
    rate: '120',
    hoursPerWeek: 10,
  },
};

const JOBS = [
  {
    client: 'globex',
    title: 'Ledger service for robot fleet billing',
    skills: ['typescript', 'postgresql', 'kafka'],
    min: '60',
    max: '95',
    years: 4,
    countries: [],
  },
  { client: 'globex', title: 'Data pipeline for telemetry', skills: ['python', 'kafka', 'postgresql'], min: '55', max: '85', years: 3, countries: [] },
  {
    client: 'initech',
    title: 'GraphQL API for the payments dashboard',
    skills: ['typescript', 'graphql', 'react'],
    min: '50',
    max: '80',
    years: 3,
    countries: ['DE', 'PL', 'BR', 'NG', 'SG', 'JP'],
  },
];

async function seedMarketplace(people) {
  // Talent profiles (the "bid"): matching ranks them once screened and open to work.
  for (const [key, p] of Object.entries(PROFILES)) {
    const person = people[key];
    await must(
      `mutation($input: TalentProfileInput!) { upsertTalentProfile(input: $input) { updatedAt } }`,
      {
        input: {
          headline: p.headline,
          skills: p.skills,
          yearsExperience: p.yearsExperience,
          hourlyRate: { amount: p.rate, currency: 'USD' },
          country: person.country,
          hoursPerWeek: p.hoursPerWeek,
          openToWork: true,
        },
      },
      person.token,
    );
  }

  // A signup through a connector's referral code.
  const hana = people.hana;
  const code = await eventually(async () => {
    const data = await must(`{ me { referralCode } }`, {}, hana.token);
    if (!data.me.referralCode) throw new Error('no referral code yet');
    return data.me.referralCode;
  }, 'hana gets a referral code');
  const kai = await registerOrSignIn({ key: 'kai', displayName: 'Kai Tanaka', roles: ['TALENT'], referralCode: code });
  people.kai = { key: 'kai', country: 'JP', ...kai };

  const globex = people.globex;
  const existing = await must(`query($id: ID!) { jobs(filter: { clientId: $id }) { totalCount } }`, { id: globex.user.id });
  if (existing.jobs.totalCount > 0) return 'marketplace already seeded';

  // Each client posts under their organization (jobs learns it from identity's OrganizationCreated).
  const organizationOf = async (person) => {
    const { me } = await must(`{ me { organizations { id name } } }`, {}, person.token);
    return me.organizations.find((o) => o.name === person.organization)?.id ?? null;
  };
  const jobIds = [];
  for (const job of JOBS) {
    const organizationId = await organizationOf(people[job.client]);
    const posted = await eventually(
      () =>
        must(
          `mutation($input: PostJobInput!) { postJob(input: $input) { id } }`,
          {
            input: {
              title: job.title,
              description: `${job.title}. Remote, async-first team; long-term engagement possible.`,
              skills: job.skills,
              minYearsExperience: job.years,
              countries: job.countries,
              budget: { min: { amount: job.min, currency: 'USD' }, max: { amount: job.max, currency: 'USD' }, unit: 'HOURLY' },
              hoursPerWeek: 30,
              durationWeeks: 12,
              organizationId,
            },
          },
          people[job.client].token,
        ),
      `${job.client} posts a job`,
    );
    jobIds.push(posted.postJob.id);
  }

  // bruno (a connector too) refers chen to the telemetry job; chen applies, interviews and is hired.
  await eventually(
    () =>
      must(
        `mutation($j: ID!, $t: ID!) { referTalentToJob(jobId: $j, talentId: $t, note: "Ran Kafka pipelines at scale") { id } }`,
        { j: jobIds[1], t: people.chen.user.id },
        people.bruno.token,
      ),
    'bruno refers chen',
  );
  const apply = (person, jobId, rate, stake = null) =>
    eventually(
      () =>
        must(
          `mutation($j: ID!, $r: MoneyInput!, $s: Decimal) { applyToJob(jobId: $j, coverLetter: "I have shipped this kind of system before.", proposedRate: $r, stake: $s) { id } }`,
          { j: jobId, r: { amount: rate, currency: 'USD' }, s: stake },
          person.token,
        ),
      `${person.key} applies`,
    ).then((d) => d.applyToJob.id);
  await apply(people.ada, jobIds[0], '85');
  const chenApplication = await apply(people.chen, jobIds[1], '75');
  // The inspector earned BTRST for screening and stakes some of it for priority.
  await eventually(async () => {
    const w = await must(`{ me { wallet { available } } }`, {}, people.inspector.token);
    if (Number(w.me.wallet?.available ?? 0) < 10) throw new Error('no balance yet');
  }, 'inspector paid for screening');
  await apply(people.inspector, jobIds[2], '78', '10');

  await must(`mutation($id: ID!) { recordInterview(applicationId: $id, outcome: ATTENDED) { id } }`, { id: chenApplication }, globex.token);
  const { hire } = await must(`mutation($id: ID!) { hire(applicationId: $id) { id } }`, { id: chenApplication }, globex.token);
  // chen invoices two weeks and globex pays them: rewards are earned on paid value, so bruno (the
  // connector) earns connector.referral on each paid invoice, and the 5-star ratings below pay
  // because the contract's paid invoices pass the policy's minimum.
  for (const [week, hours] of [
    [1, 35],
    [2, 30],
  ]) {
    const { submitInvoice } = await eventually(
      () =>
        must(
          `mutation($c: ID!, $h: Float!, $d: String!) { submitInvoice(input: { contractId: $c, description: $d, hours: $h }) { id } }`,
          { c: hire.id, h: hours, d: `Telemetry pipeline, week ${week}` },
          people.chen.token,
        ),
      `chen invoices week ${week}`,
    );
    await must(
      `mutation($i: ID!, $k: String!) { approveInvoice(invoiceId: $i, idempotencyKey: $k) { status } }`,
      { i: submitInvoice.id, k: `seed-chen-week-${week}` },
      globex.token,
    );
    // The payment provider confirms the charge by webhook a moment later.
    await eventually(async () => {
      const { invoice } = await must(`query($i: ID!) { invoice(id: $i) { status } }`, { i: submitInvoice.id }, globex.token);
      if (invoice.status !== 'PAID') throw new Error(`invoice is ${invoice.status}`);
    }, `week ${week} invoice paid`);
  }
  await must(`mutation($id: ID!) { completeContract(contractId: $id) { id } }`, { id: hire.id }, globex.token);
  await must(`mutation($id: ID!) { rateContract(contractId: $id, stars: 5, comment: "Delivered early, great docs") { id } }`, { id: hire.id }, globex.token);
  await must(
    `mutation($id: ID!) { rateContract(contractId: $id, stars: 5, comment: "Clear scope, fast feedback") { id } }`,
    { id: hire.id },
    people.chen.token,
  );
  return `${JOBS.length} jobs, 3 applications (one staked), 1 hire through a job referral, 2 paid invoices, a completed contract rated 5/5 both ways`;
}

async function signIn(email, password) {
  const data = await must(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { ${USER_FIELDS} } } }`, {
    e: email,
    p: password,
  });
  return { token: data.login.accessToken, user: data.login.user };
}

async function registerOrSignIn(person) {
  const res = await gql(`mutation($input: RegisterInput!) { register(input: $input) { accessToken user { ${USER_FIELDS} } } }`, {
    input: {
      email: emailOf(person.key),
      password: DEMO_PASSWORD,
      displayName: person.displayName,
      roles: person.roles,
      ...(person.referralCode ? { referralCode: person.referralCode } : {}),
    },
  });
  if (!res.errors) return { token: res.data.register.accessToken, user: res.data.register.user, created: true };
  if (res.errors[0].extensions?.code !== 'CONFLICT') throw new Error(res.errors[0].message);
  return { ...(await signIn(emailOf(person.key), DEMO_PASSWORD)), created: false };
}

const birthDate = (i) => `${1980 + (i % 15)}-0${1 + (i % 9)}-1${i % 9}`;

async function main() {
  const admin = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD).catch((error) => {
    throw new Error(`cannot sign in as the bootstrap admin ${ADMIN_EMAIL} (${error.message}); set ADMIN_EMAIL/ADMIN_PASSWORD as the identity service has them`);
  });
  const people = {};
  let created = 0;
  for (const person of DEMO_USERS) {
    const session = await registerOrSignIn(person);
    people[person.key] = { ...person, ...session };
    if (session.created) created++;
  }

  // The inspector role is granted, never chosen; a fresh token carries it.
  const inspector = people.inspector;
  if (!inspector.user.roles.includes('INSPECTOR')) {
    await must(`mutation($id: ID!) { grantRole(userId: $id, role: INSPECTOR) { id } }`, { id: inspector.user.id }, admin.token);
  }
  Object.assign(inspector, await signIn(emailOf('inspector'), DEMO_PASSWORD));

  // KYC: everyone submits; the admin reviews the inspector, the inspector reviews the rest.
  let i = 0;
  for (const person of Object.values(people)) {
    i++;
    if (!['NOT_STARTED', 'REJECTED'].includes(person.user.kycStatus) || (person.kyc === 'REJECT' && person.user.kycStatus === 'REJECTED')) continue;
    const kycCase = await must(
      `mutation($input: SubmitKycInput!) { submitKyc(input: $input) { id } }`,
      {
        input: {
          legalName: person.displayName,
          country: person.country,
          dateOfBirth: birthDate(i),
          documentType: i % 2 ? 'PASSPORT' : 'ID_CARD',
          documentNumber: `P${String(48151623 + i * 4217)}`,
        },
      },
      person.token,
    );
    if (person.kyc === 'PENDING') continue;
    const reviewer = person.key === 'inspector' ? admin : inspector;
    await must(
      `mutation($id: ID!, $d: ReviewDecision!, $r: String) { reviewKyc(caseId: $id, decision: $d, reason: $r) { id } }`,
      { id: kycCase.submitKyc.id, d: person.kyc, r: person.kyc === 'REJECT' ? 'Document photo unreadable' : null },
      reviewer.token,
    );
  }

  // Peer screening of talent.
  for (const person of Object.values(people)) {
    if (!person.screening) continue;
    const current = await must(`query($id: ID!) { user(id: $id) { screeningStatus } }`, { id: person.user.id });
    if (current.user.screeningStatus !== 'NOT_SCREENED') continue;
    await must(
      `mutation($id: ID!, $d: ReviewDecision!, $n: String) { screenTalent(userId: $id, decision: $d, notes: $n) { id } }`,
      { id: person.user.id, d: person.screening, n: person.screening === 'APPROVE' ? 'Strong portfolio, clear communication' : 'Needs more verifiable work' },
      inspector.token,
    );
  }

  // Clients' organizations.
  for (const person of Object.values(people)) {
    if (!person.organization) continue;
    const me = await must(`{ me { organizations { name } } }`, {}, person.token);
    if (me.me.organizations.some((o) => o.name === person.organization)) continue;
    await must(`mutation($n: String!) { createOrganization(name: $n) { id } }`, { n: person.organization }, person.token);
  }

  // A partner node first, so that it receives the marketplace's public events as signed webhooks.
  await seedPartnerNode(admin.token);

  const marketplace = await seedMarketplace(people);

  console.log(
    `seeded ${DEMO_USERS.length} demo users (${created} new), password "${DEMO_PASSWORD}", emails <key>@demo.talent.local: ${DEMO_USERS.map((u) => u.key).join(', ')}, kai (signed up with hana's referral code); ${marketplace}`,
  );
}

/** Registers the demo partner node once (its secret is shown only then, so it is written to a file for the receiver). */
async function seedPartnerNode(adminToken) {
  const webhookUrl = process.env.DEMO_PARTNER_WEBHOOK_URL;
  if (!webhookUrl) return;
  const name = 'Demo job board';
  const { partnerNodes } = await must(`{ partnerNodes { name } }`, {}, adminToken);
  if (partnerNodes.some((n) => n.name === name)) return;
  const { registerPartnerNode } = await must(
    `mutation($i: RegisterPartnerNodeInput!) { registerPartnerNode(input: $i) { signingSecret node { id } } }`,
    { i: { name, webhookUrl, eventTypes: ['job.posted', 'job.closed', 'invoice.paid', 'reward.granted', 'proposal.decided'] } },
    adminToken,
  );
  if (process.env.DEMO_PARTNER_SECRET_FILE)
    writeFileSync(process.env.DEMO_PARTNER_SECRET_FILE, JSON.stringify({ signingSecret: registerPartnerNode.signingSecret }), { mode: 0o600 });
}

main().catch((error) => {
  console.error(`seed failed: ${error.message}`);
  process.exit(1);
});
