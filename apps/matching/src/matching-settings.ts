/** Matching's tunables, from config (injected as a value; the benchmark builds one by hand). */
export abstract class MatchingSettings {
  /** How many top candidates are kept and proposed per job (MATCHES_PER_JOB). */
  abstract readonly matchesPerJob: number;
}
