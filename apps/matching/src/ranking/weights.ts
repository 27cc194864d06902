import type { EntityManager } from 'typeorm';
import type { Weights } from './scoring';

/**
 * The score's weights in force (governed: `matching.weights.skills|rate|experience|reputation`,
 * each 0..1), read by each ranking in its own transaction: the next ranking after a change uses
 * the new weights, rankings already stored keep theirs until their job is ranked again. They are
 * divided by their sum (`ranking_weights`, see migration 1736300000000), so governance changes one
 * weight at a time without having to keep a sum of 1, and the score stays 0..1.
 */
export async function weightsInForce(tx: EntityManager): Promise<Weights> {
  const [w]: Weights[] = await tx.query(`SELECT skills, rate, experience, reputation FROM ranking_weights`);
  return { skills: w.skills, rate: w.rate, experience: w.experience, reputation: w.reputation };
}
