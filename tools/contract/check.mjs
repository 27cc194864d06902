// Runs the shared contract check on the committed supergraph and separates the problems
// that are known and owned by services not built yet (pending.json) from real ones.
// Fails on any unexpected problem, and on a pending item that is no longer a problem,
// so the list only ever shrinks.
// Usage: node tools/contract/check.mjs [--only sections]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const checker = path.resolve(root, '../shared/tools/check-contract.mjs');
const { __doc, ...pending } = JSON.parse(readFileSync(path.join(root, 'tools/contract/pending.json'), 'utf8'));
void __doc;

const run = spawnSync(process.execPath, [checker, path.join(root, 'apps/gateway/supergraph.graphql'), ...process.argv.slice(2)], {
  encoding: 'utf8',
});
if (run.error) throw run.error;
const lines = run.stdout.trim().split('\n');
const summary = lines.pop();
const problems = new Set(lines.filter(Boolean));

const unexpected = [...problems].filter((p) => !(p in pending));
const known = [...problems].filter((p) => p in pending);
const nowServed = Object.keys(pending).filter((p) => !problems.has(p));

console.log(summary);
for (const p of known) console.log(`  pending: ${p}  (${pending[p]})`);
for (const p of unexpected) console.log(`  PROBLEM: ${p}`);
for (const p of nowServed) console.log(`  served now, remove from tools/contract/pending.json: ${p}`);
// Run without --only (as CI does), every pending item is in view: one that no longer shows is stale.
const only = process.argv.includes('--only');
if (unexpected.length || (!only && nowServed.length) || (run.status !== 0 && problems.size === 0)) process.exit(1);
console.log(unexpected.length === 0 ? 'contract holds apart from the pending items above' : '');
