// Turns a service's JSON log line into one readable, prefixed line for the dev console.
const COLORS = { identity: 36, gateway: 35, jobs: 33, matching: 32, referrals: 34, rewards: 93, payments: 96, governance: 95, seed: 90, kafka: 90 };
const LEVEL = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR', fatal: 'FATAL' };
const OMIT = new Set(['level', 'time', 'service', 'msg', 'pid', 'hostname', 'context']);

export function prefix(name) {
  const color = COLORS[name] ?? 37;
  return process.stdout.isTTY ? `\x1b[${color}m[${name.padEnd(8)}]\x1b[0m` : `[${name.padEnd(8)}]`;
}

export function formatLine(name, line, { raw = false } = {}) {
  if (raw || !line.startsWith('{')) return `${prefix(name)} ${line}`;
  try {
    const entry = JSON.parse(line);
    const extra = Object.entries(entry)
      .filter(([k]) => !OMIT.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`)
      .join(' ');
    const context = entry.context ? `(${entry.context}) ` : '';
    return `${prefix(name)} ${LEVEL[entry.level] ?? entry.level} ${context}${entry.msg ?? ''}${extra ? `  ${extra}` : ''}`;
  } catch {
    return `${prefix(name)} ${line}`;
  }
}
