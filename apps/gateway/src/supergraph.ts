import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Supergraph {
  sdl: string;
  /** Subgraph name -> URL as composed, before environment overrides. */
  urls: Record<string, string>;
}

export const defaultSupergraphPath = (): string => path.resolve(__dirname, '../supergraph.graphql');

/** Reads the supergraph composed offline (`npm run supergraph`), with the subgraph URLs it names. */
export function loadSupergraph(file = defaultSupergraphPath()): Supergraph {
  const sdl = readFileSync(file, 'utf8');
  const urls: Record<string, string> = {};
  for (const match of sdl.matchAll(/@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]+)"\)/g)) urls[match[1]] = match[2];
  return { sdl, urls };
}
