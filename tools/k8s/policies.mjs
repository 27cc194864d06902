// What the issue asks of the production manifests that no schema can say: resources everywhere,
// secrets only by reference, deny-by-default networking with a policy of its own for every
// workload, HPAs for the busiest services, a KafkaUser per service whose topics exist.
// Each check returns human-readable problems; an empty list means the rendered overlay holds.

/** Deployments that must be autoscaled (the gateway and the busiest subgraphs). */
export const AUTOSCALED = ['gateway', 'jobs', 'matching', 'rewards'];

/** What an egress to "the internet" must leave out: private, link-local (cloud metadata) ranges. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'];
const SECRET_LIKE_NAME = /(SECRET|PASSWORD|PRIVATE|TOKEN|_KEY$|_KEYS$|CREDENTIAL)/i;
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'Pod']);

const nameOf = (o) => `${o.kind}/${o.metadata?.name}`;

/** Does a LabelSelector select these labels? (matchLabels and matchExpressions, as the API does.) */
export function selects(selector, labels) {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    if (operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const selectsAll = (selector) => Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;

function podSpecOf(o) {
  if (o.kind === 'Pod') return o.spec;
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
  return o.spec?.template?.spec;
}

function podLabelsOf(o) {
  if (o.kind === 'Pod') return o.metadata?.labels ?? {};
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
  return o.spec?.template?.metadata?.labels ?? {};
}

/** Requests (cpu and memory) and a memory limit at the least; `where` names the owner in messages. */
function resourceProblems(resources, where) {
  const problems = [];
  if (!resources?.requests?.cpu || !resources?.requests?.memory) problems.push(`${where}: resources.requests needs cpu and memory`);
  if (!resources?.limits?.memory) problems.push(`${where}: resources.limits needs memory (and cpu where it may burst)`);
  return problems;
}

/** The pods the operators create, with the labels they give them (what NetworkPolicies select). */
function operatorPods(objects) {
  const pods = [];
  for (const o of objects) {
    const name = o.metadata?.name;
    if (o.kind === 'Cluster' && o.apiVersion?.startsWith('postgresql.cnpg.io/')) {
      pods.push({ owner: nameOf(o), labels: { 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance' } });
    }
    if (o.kind === 'Kafka' && o.apiVersion?.startsWith('kafka.strimzi.io/')) {
      // Strimzi writes the ingress policies of its pods itself (listeners, replication, operators).
      pods.push({
        owner: `${nameOf(o)} brokers`,
        ingressByOperator: true,
        labels: { 'strimzi.io/cluster': name, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${name}-kafka` },
      });
      pods.push({
        owner: `${nameOf(o)} entity operator`,
        ingressByOperator: true,
        labels: { 'strimzi.io/cluster': name, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${name}-entity-operator` },
      });
    }
  }
  return pods;
}

/** Does a KafkaUser's ACL list allow `operation` on a resource (type topic or group)? */
export function allows(user, type, name, operation) {
  return (user.spec?.authorization?.acls ?? []).some((acl) => {
    const r = acl.resource ?? {};
    if (r.type !== type || (acl.type ?? 'allow') !== 'allow') return false;
    const matches = (r.patternType ?? 'literal') === 'prefix' ? name.startsWith(r.name) : r.name === name || r.name === '*';
    const ops = acl.operations ?? (acl.operation ? [acl.operation] : []);
    return matches && (ops.includes(operation) || ops.includes('All'));
  });
}

/**
 * @param {object[]} objects the rendered overlay
 * @param {{ production: boolean, documentedSecrets: Set<string>, flows: { reads: Map<string, Set<string>>, writes: Map<string, Set<string>> } }} options
 *   documentedSecrets: the Secrets ops create by hand (the *.example.yaml files); flows: the topics
 *   each service reads and writes according to its code (./event-topics.mjs)
 * @returns {{ check: string, problems: string[] }[]}
 */
export function policyChecks(objects, { production, documentedSecrets, flows }) {
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
  const deployments = byKind('Deployment');
  const services = deployments.filter((d) => d.metadata?.labels?.['app.kubernetes.io/component'] === 'api');
  const subgraphs = services.filter((d) => d.metadata.name !== 'gateway');
  const policies = byKind('NetworkPolicy');
  const results = [];
  const check = (name, problems) => results.push({ check: name, problems });

  // Requests and limits on every container, the operator-managed ones included.
  {
    const problems = [];
    for (const w of workloads) {
      const spec = podSpecOf(w);
      for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
        problems.push(...resourceProblems(c.resources, `${nameOf(w)} container ${c.name}`));
      }
    }
    for (const c of objects.filter((o) => o.kind === 'Cluster' && o.apiVersion?.startsWith('postgresql.cnpg.io/'))) {
      problems.push(...resourceProblems(c.spec?.resources, nameOf(c)));
    }
    for (const p of byKind('KafkaNodePool')) problems.push(...resourceProblems(p.spec?.resources, nameOf(p)));
    for (const k of byKind('Kafka')) {
      for (const op of ['topicOperator', 'userOperator']) {
        if (k.spec?.entityOperator?.[op]) problems.push(...resourceProblems(k.spec.entityOperator[op].resources, `${nameOf(k)} ${op}`));
      }
    }
    check('resources: requests and limits on every container', problems);
  }

  // Secrets only by reference: no Secret object, no secret-looking literal, every reference resolvable.
  {
    const problems = [];
    for (const s of byKind('Secret')) problems.push(`${nameOf(s)}: a Secret in the manifests (create it out of band, see *.example.yaml)`);
    for (const cm of byKind('ConfigMap')) {
      for (const key of Object.keys(cm.data ?? {}))
        if (SECRET_LIKE_NAME.test(key)) problems.push(`${nameOf(cm)}: key ${key} looks secret: use a Secret reference`);
    }
    const operatorSecrets = new Set([
      ...objects.filter((o) => o.kind === 'Cluster' && o.apiVersion?.startsWith('postgresql.cnpg.io/')).map((c) => `${c.metadata.name}-app`),
      ...byKind('KafkaUser').map((u) => u.metadata.name),
      ...byKind('Kafka').map((k) => `${k.metadata.name}-cluster-ca-cert`),
    ]);
    for (const w of workloads) {
      for (const c of podSpecOf(w)?.containers ?? []) {
        for (const env of c.env ?? []) {
          if (env.value !== undefined && SECRET_LIKE_NAME.test(env.name) && !/^\$\([A-Z0-9_]+\)$/.test(env.value)) {
            problems.push(`${nameOf(w)} ${c.name}: env ${env.name} is a literal: use valueFrom.secretKeyRef`);
          }
          // A URL may carry a password only as a reference to another variable: redis://:$(REDIS_PASSWORD)@...
          const password = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:([^/@\s]+)@/i.exec(env.value ?? '')?.[1];
          if (password !== undefined && !/^\$\([A-Z0-9_]+\)$/.test(password)) {
            problems.push(`${nameOf(w)} ${c.name}: env ${env.name} has a literal password in its URL: reference a secret variable, $(NAME)`);
          }
          const ref = env.valueFrom?.secretKeyRef;
          if (ref && !documentedSecrets.has(ref.name) && !operatorSecrets.has(ref.name)) {
            problems.push(`${nameOf(w)} ${c.name}: env ${env.name} reads Secret ${ref.name}, which no *.example.yaml documents and no operator writes`);
          }
        }
        for (const from of c.envFrom ?? []) {
          if (from.secretRef && !documentedSecrets.has(from.secretRef.name))
            problems.push(`${nameOf(w)} ${c.name}: envFrom Secret ${from.secretRef.name} is not documented`);
        }
      }
    }
    check('secrets: only by reference, every referenced Secret documented or operator-made', problems);
  }

  // Deny by default, then a policy of its own for every pod of the namespace.
  {
    const problems = [];
    const denyAll = policies.find(
      (p) =>
        selectsAll(p.spec?.podSelector) &&
        ['Ingress', 'Egress'].every((t) => p.spec?.policyTypes?.includes(t)) &&
        !(p.spec?.ingress ?? []).length &&
        !(p.spec?.egress ?? []).length,
    );
    if (!denyAll) problems.push('no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)');
    const specific = policies.filter((p) => !selectsAll(p.spec?.podSelector));
    const pods = [...workloads.map((w) => ({ owner: nameOf(w), labels: podLabelsOf(w) })), ...operatorPods(objects)];
    // Its own: a policy that selects it (not every pod) for each direction, else default-deny cuts it off.
    for (const pod of pods) {
      const own = specific.filter((p) => selects(p.spec.podSelector, pod.labels));
      for (const direction of ['Ingress', 'Egress']) {
        if (direction === 'Ingress' && pod.ingressByOperator) continue;
        if (!own.some((p) => p.spec.policyTypes?.includes(direction)))
          problems.push(`${pod.owner}: no NetworkPolicy of its own for ${direction.toLowerCase()} (default-deny cuts it off)`);
      }
    }
    for (const s of subgraphs) {
      const own = specific.filter((p) => selects(p.spec.podSelector, podLabelsOf(s)) && p.spec.policyTypes?.includes('Ingress'));
      const fromGateway = own.some((p) =>
        (p.spec.ingress ?? []).some((rule) => (rule.from ?? []).some((peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'gateway')),
      );
      if (!fromGateway) problems.push(`${nameOf(s)}: no ingress rule admits the gateway`);
    }
    // A service may reach the internet only outside the cluster's and the cloud's private ranges.
    for (const p of policies.filter((p) => services.some((s) => selects(p.spec?.podSelector, podLabelsOf(s))))) {
      for (const rule of p.spec?.egress ?? []) {
        for (const peer of rule.to ?? []) {
          if (peer.ipBlock?.cidr !== '0.0.0.0/0') continue;
          const missing = PRIVATE_RANGES.filter((range) => !(peer.ipBlock.except ?? []).includes(range));
          if (missing.length) problems.push(`${nameOf(p)}: egress to 0.0.0.0/0 must except ${missing.join(', ')} (the cluster, the cloud's metadata)`);
        }
      }
    }
    check('network: default deny, and a policy for every workload', problems);
  }

  // HPAs for the busiest Deployments, consistent with the Deployments they scale.
  {
    const problems = [];
    const hpas = byKind('HorizontalPodAutoscaler');
    for (const name of AUTOSCALED) {
      const hpa = hpas.find((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === name);
      const deployment = deployments.find((d) => d.metadata.name === name);
      if (!hpa) {
        problems.push(`Deployment/${name}: no HorizontalPodAutoscaler`);
        continue;
      }
      if (!deployment) problems.push(`${nameOf(hpa)}: targets Deployment/${name}, which is not in the manifests`);
      const min = hpa.spec.minReplicas ?? 1;
      if (min > hpa.spec.maxReplicas) problems.push(`${nameOf(hpa)}: minReplicas ${min} > maxReplicas ${hpa.spec.maxReplicas}`);
      if (production && min < 2) problems.push(`${nameOf(hpa)}: minReplicas ${min} in production (at least 2, one per PodDisruptionBudget loss)`);
      const metrics = new Set((hpa.spec.metrics ?? []).map((m) => m.resource?.name));
      for (const r of ['cpu', 'memory']) if (!metrics.has(r)) problems.push(`${nameOf(hpa)}: no ${r} target`);
      if (deployment?.spec?.replicas !== undefined && deployment.spec.replicas !== min) {
        problems.push(`Deployment/${name}: spec.replicas ${deployment.spec.replicas} fights its HPA (min ${min}): leave it unset`);
      }
    }
    check(`autoscaling: HPAs for ${AUTOSCALED.join(', ')}`, problems);
  }

  // Disruption budgets for every service.
  {
    const problems = [];
    const pdbs = byKind('PodDisruptionBudget');
    for (const s of services) {
      if (!pdbs.some((p) => selects(p.spec?.selector, podLabelsOf(s)))) problems.push(`${nameOf(s)}: no PodDisruptionBudget`);
    }
    check('availability: a PodDisruptionBudget per service', problems);
  }

  // Kafka: authenticated listeners, simple authorization, one KafkaUser per service on existing topics.
  {
    const problems = [];
    const topics = new Set(byKind('KafkaTopic').map((t) => t.spec?.topicName ?? t.metadata.name));
    for (const k of byKind('Kafka')) {
      if (k.spec?.kafka?.authorization?.type !== 'simple') problems.push(`${nameOf(k)}: authorization must be simple (ACLs)`);
      for (const l of k.spec?.kafka?.listeners ?? []) if (!l.authentication) problems.push(`${nameOf(k)}: listener ${l.name} accepts unauthenticated clients`);
    }
    const users = byKind('KafkaUser');
    for (const s of subgraphs) {
      const name = s.metadata.name;
      if (!users.some((u) => u.metadata.name === `${name}-kafka`)) problems.push(`${nameOf(s)}: no KafkaUser ${name}-kafka`);
      const password = s.spec.template.spec.containers[0]?.env?.find((e) => e.name === 'KAFKA_SASL_PASSWORD');
      if (password?.valueFrom?.secretKeyRef?.name !== `${name}-kafka`) problems.push(`${nameOf(s)}: KAFKA_SASL_PASSWORD must come from Secret ${name}-kafka`);
    }
    for (const u of users) {
      for (const acl of u.spec?.authorization?.acls ?? []) {
        const r = acl.resource ?? {};
        if (r.type === 'topic' && (r.patternType ?? 'literal') === 'literal' && !topics.has(r.name))
          problems.push(`${nameOf(u)}: ACL on topic ${r.name}, which is no KafkaTopic`);
      }
    }
    check('kafka: authentication, ACLs, a KafkaUser per service', problems);
  }

  // The ACLs against the code: what each service's handlers consume and its events publish.
  {
    const problems = [];
    const users = byKind('KafkaUser');
    for (const s of subgraphs) {
      const name = s.metadata.name;
      const user = users.find((u) => u.metadata.name === `${name}-kafka`);
      if (!user) continue; // reported above
      const reads = [...(flows.reads.get(name) ?? [])];
      for (const topic of reads) {
        for (const op of ['Read', 'Describe'])
          if (!allows(user, 'topic', topic, op)) problems.push(`${nameOf(user)}: ${name} consumes ${topic} but may not ${op} it`);
        if (!allows(user, 'topic', `${topic}.dlq`, 'Write')) problems.push(`${nameOf(user)}: ${name} dead-letters to ${topic}.dlq but may not Write it`);
      }
      if (reads.length && !allows(user, 'group', name, 'Read')) problems.push(`${nameOf(user)}: no Read on its consumer group ${name}`);
      for (const topic of flows.writes.get(name) ?? []) {
        if (!allows(user, 'topic', topic, 'Write')) problems.push(`${nameOf(user)}: ${name} publishes to ${topic} but may not Write it`);
      }
    }
    check("kafka: every KafkaUser may read, write and dead-letter what its service's code does", problems);
  }

  return results;
}

/** Non-fatal notes worth a look (printed, never failing the run). */
export function warnings(objects, { production }) {
  if (!production) return [];
  const unpinned = objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .flatMap((w) => (podSpecOf(w)?.containers ?? []).map((c) => c.image))
    .filter((image) => /:latest$/.test(image) || !/[:@]/.test(image.split('/').pop()));
  return unpinned.length ? [`images not pinned yet (CI pins them: kustomize edit set image): ${unpinned.join(', ')}`] : [];
}
