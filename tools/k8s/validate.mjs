// Renders the Kubernetes overlays (kubectl kustomize; no cluster needed) and checks every object:
// against its API's schema (tools/k8s/schemas.mjs: Kubernetes and the Strimzi, CloudNativePG and
// prometheus-operator CRDs) and against the production rules no schema states
// (tools/k8s/policies.mjs). The *.example.yaml files (Secrets ops create, the partner KafkaUser
// template) are schema-checked too. Prints a summary; exits 1 on any problem.
// Usage: node tools/k8s/validate.mjs [k8s directory, default: the repository's k8s/]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { eventTopics } from './event-topics.mjs';
import { policyChecks, warnings } from './policies.mjs';
import { schemaProblems } from './schemas.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const k8sDir = path.resolve(process.argv[2] ?? path.join(root, 'k8s'));
const OVERLAYS = [
  { name: 'local', production: false },
  { name: 'production', production: true },
];

/** YAML text -> objects; a document that does not parse is a problem, never dropped. */
function parseObjects(text, source, problems) {
  const objects = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      problems.push(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

/** `kubectl kustomize`, or the standalone `kustomize build` where kubectl is not installed. */
function render(dir) {
  const options = { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 };
  let run = spawnSync('kubectl', ['kustomize', dir], options);
  if (run.error?.code === 'ENOENT') run = spawnSync('kustomize', ['build', dir], options);
  if (run.error) throw new Error(`rendering ${dir}: ${run.error.message} (install kubectl or kustomize)`);
  if (run.status !== 0) return { error: run.stderr.trim() || `exit ${run.status}` };
  return { yaml: run.stdout };
}

function exampleFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...exampleFiles(full));
    else if (entry.name.endsWith('.example.yaml')) found.push(full);
  }
  return found.sort();
}

let failures = 0;
const fail = (line) => {
  failures++;
  console.log(`  FAIL ${line}`);
};

// What the code reads and writes on Kafka (the KafkaUsers' ACLs must cover it).
const flows = eventTopics(root);

// The examples: what ops creates by hand. Their Secret names are the documented ones.
const documentedSecrets = new Set();
{
  const files = exampleFiles(k8sDir);
  let count = 0;
  console.log(`examples (${files.length} files)`);
  for (const file of files) {
    const source = path.relative(root, file);
    const parseErrors = [];
    for (const object of parseObjects(readFileSync(file, 'utf8'), source, parseErrors)) {
      count++;
      if (object.kind === 'Secret') documentedSecrets.add(object.metadata?.name);
      for (const problem of await schemaProblems(object)) fail(`${source} ${object.kind}/${object.metadata?.name}: ${problem}`);
    }
    parseErrors.forEach(fail);
  }
  console.log(`  ${count} objects schema-checked; documented Secrets: ${[...documentedSecrets].sort().join(', ')}`);
}

for (const overlay of OVERLAYS) {
  const dir = path.join(k8sDir, 'overlays', overlay.name);
  console.log(`\noverlay ${overlay.name}`);
  const rendered = render(dir);
  if (rendered.error) {
    fail(`kubectl kustomize ${path.relative(root, dir)}: ${rendered.error}`);
    continue;
  }
  const parseErrors = [];
  const objects = parseObjects(rendered.yaml, `overlay ${overlay.name}`, parseErrors);
  parseErrors.forEach(fail);

  const kinds = new Map();
  let schemaFailures = 0;
  for (const object of objects) {
    const kind = `${object.kind} (${object.apiVersion})`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    for (const problem of await schemaProblems(object)) {
      schemaFailures++;
      fail(`${object.kind}/${object.metadata?.name}: ${problem}`);
    }
  }
  console.log(`  schemas: ${objects.length - schemaFailures}/${objects.length} objects valid`);
  for (const [kind, n] of [...kinds].sort()) console.log(`    ${String(n).padStart(3)} ${kind}`);

  for (const { check, problems } of policyChecks(objects, { production: overlay.production, documentedSecrets, flows })) {
    console.log(`  ${problems.length ? 'FAIL' : 'ok  '} ${check}`);
    failures += problems.length;
    for (const p of problems) console.log(`       - ${p}`);
  }
  for (const note of warnings(objects, overlay)) console.log(`  note ${note}`);
}

console.log(failures ? `\n${failures} problem(s)` : '\nall manifests valid');
process.exit(failures ? 1 : 0);
