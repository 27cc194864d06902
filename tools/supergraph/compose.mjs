// Composes the supergraph offline from every subgraph's SDL (each printed in its own
// process) with @apollo/composition, and writes apps/gateway/supergraph.graphql.
// `--check` writes nothing and fails when composition fails or the committed file is stale.
// `--cache DIR` (the test stacks, and the check in CI after them) keeps each subgraph's printed SDL
// there, keyed by a hash of the built code it comes from, package-lock.json and patches/, so a stack
// started again with the same build composes in a moment.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPH_SERVICES } from '../services.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
// --subgraphs a,b and --out FILE compose a partial supergraph (used by tests that start only some services).
const SUBGRAPHS = option('--subgraphs')?.split(',') ?? SUBGRAPH_SERVICES.map((s) => s.name);
const target = path.resolve(option('--out') ?? path.join(root, 'apps/gateway/supergraph.graphql'));
const check = argv.includes('--check');
const quiet = argv.includes('--quiet');

const cacheDir = option('--cache');

/** A hash of every built .js file (or file with one of `extensions`) under these directories (their paths and contents). */
function buildHash(dirs, extensions = ['.js', '.cjs']) {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (extensions.some((extension) => entry.name.endsWith(extension))) hash.update(path.relative(root, full)).update(readFileSync(full));
    }
  };
  for (const dir of dirs) if (existsSync(dir)) walk(dir);
  return hash.digest('hex');
}

const dir = mkdtempSync(path.join(tmpdir(), 'supergraph-'));
// The dependencies' versions count too: another @nestjs/graphql may print the same code differently.
const sharedHash = cacheDir
  ? createHash('sha256')
      .update(buildHash(['libs/platform/dist', 'libs/events/dist', 'tools/supergraph'].map((d) => path.join(root, d))))
      .update(readFileSync(path.join(root, 'package-lock.json')))
      .update(buildHash([path.join(root, 'patches')], ['.patch']))
      .digest('hex')
  : '';
const services = SUBGRAPHS.map((app) => {
  const cached = cacheDir && path.join(cacheDir, `${app}-${buildHash([path.join(root, `apps/${app}/dist`)]).slice(0, 16)}-${sharedHash.slice(0, 16)}.json`);
  let out = cached && existsSync(cached) ? cached : path.join(dir, `${app}.json`);
  if (out !== cached) {
    execFileSync(process.execPath, [path.join(root, 'tools/supergraph/print-subgraph.cjs'), app, out], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (cached) {
      mkdirSync(cacheDir, { recursive: true });
      // Written aside and renamed: a stack composing at the same moment never reads half a file.
      const aside = `${cached}.${process.pid}`;
      writeFileSync(aside, readFileSync(out));
      renameSync(aside, cached);
      out = cached;
    }
  }
  const { name, url, sdl } = JSON.parse(readFileSync(out, 'utf8'));
  return { name, url, typeDefs: parse(sdl) };
});

const result = composeServices(services);
if (result.errors?.length) {
  console.error('Composition failed:');
  for (const error of result.errors) console.error(`  - ${error.message}`);
  process.exit(1);
}
if (!quiet) for (const hint of result.hints ?? []) console.error(`hint: ${hint.definition.code}: ${hint.message}`);

const sdl = `${result.supergraphSdl.trim()}\n`;
if (check) {
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (committed !== sdl) {
    console.error(`${path.relative(root, target)} is stale: run \`npm run supergraph\` and commit the result.`);
    process.exit(1);
  }
  console.log(`supergraph up to date (${SUBGRAPHS.join(', ')})`);
} else {
  writeFileSync(target, sdl);
  if (!quiet) console.log(`wrote ${path.relative(root, target)} from ${SUBGRAPHS.join(', ')}`);
}
