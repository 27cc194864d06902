// Schema validation of one Kubernetes object, offline: each apiVersion/kind maps to a model class
// of kubernetes-models (the built-in APIs) or of the CRD packages (Strimzi, CloudNativePG,
// prometheus-operator); its validate() runs the API's JSON schema. An apiVersion/kind with no model
// is a failure, never skipped: a resource nothing can check would slip through.

/** API group -> the package that holds its models (import path prefix). */
const CRD_PACKAGES = {
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io',
  'core.strimzi.io': '@kubernetes-models/strimzi-kafka-operator/core.strimzi.io',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator/monitoring.coreos.com',
};

/** Built-in groups published by kubernetes-models (core "" is its `v1` module). */
const BUILT_IN_GROUPS = new Set([
  'apps',
  'autoscaling',
  'batch',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
]);

function modulePath(apiVersion) {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return apiVersion === 'v1' ? 'kubernetes-models/v1' : null;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (!/^v\d+((alpha|beta)\d+)?$/.test(version)) return null;
  if (CRD_PACKAGES[group]) return `${CRD_PACKAGES[group]}/${version}`;
  if (BUILT_IN_GROUPS.has(group)) return `kubernetes-models/${group}/${version}`;
  return null;
}

const modules = new Map();

async function loadModule(path) {
  if (!modules.has(path))
    modules.set(
      path,
      import(path).catch(() => null),
    );
  return modules.get(path);
}

/** The model class for apiVersion/kind, or null when no installed package has one. */
export async function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return null;
  const path = modulePath(apiVersion);
  if (!path) return null;
  const mod = await loadModule(path);
  const Model = mod?.[kind];
  // Index modules also export sub-schemas (e.g. DeploymentSpec): only a top-level kind names its apiVersion.
  if (typeof Model !== 'function' || Model.apiVersion !== apiVersion || Model.kind !== kind) return null;
  return Model;
}

/** Problems of one object against its schema (empty: valid). */
export async function schemaProblems(object) {
  const Model = await modelFor(object?.apiVersion, object?.kind);
  if (!Model) return [`no schema for apiVersion ${object?.apiVersion} kind ${object?.kind} (unknown resource)`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [String(error?.message ?? error)];
  }
}
