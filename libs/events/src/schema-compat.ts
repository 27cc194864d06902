import { z } from 'zod';
import type { EventDefinition } from './envelope';

/**
 * The published contract of partner events, and the rule that keeps it: once a (type, version)
 * is public its JSON Schema is frozen (libs/events/public-schemas/<type>.v<version>.json) and
 * the catalog's schema may only change in ways no partner notices. `tools/asyncapi` enforces it.
 */

export type JsonSchema = { [keyword: string]: unknown };

/** Keywords that document a schema without constraining it: free to change. */
const ANNOTATIONS = new Set(['title', 'description', 'examples', 'default', '$comment', '$schema', 'deprecated', 'readOnly', 'writeOnly']);

/**
 * The JSON Schema (draft-07, as AsyncAPI 3 schemas are) of a public event's payload.
 * `additionalProperties: false` is dropped: partners must ignore properties they do not know,
 * since optional properties may be added within a version.
 */
export function publicJsonSchema(definition: EventDefinition): JsonSchema {
  const schema = z.toJSONSchema(definition.schema, { target: 'draft-07' }) as JsonSchema;
  delete schema.$schema;
  return withoutClosedObjects(schema) as JsonSchema;
}

function withoutClosedObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutClosedObjects);
  if (!isObject(node)) return node;
  const copy: JsonSchema = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === 'additionalProperties' && value === false) continue;
    copy[keyword] = withoutClosedObjects(value);
  }
  return copy;
}

/**
 * What makes `current` break a partner who coded against `frozen`; empty when compatible.
 *
 * The rule: a published (type, version) may only gain OPTIONAL properties (and change its
 * annotations: title, description, examples...). Everything else needs a new version, because
 * each direction matters:
 * - consumers of the frozen schema receive messages of the current one: removing a property,
 *   making it optional or nullable, widening or changing a type, adding an enum value, dropping
 *   or loosening a format, pattern or bound breaks them;
 * - messages already retained on the topic (re-read from the beginning, replayed from a dead
 *   letter) are validated against the current schema: adding a required property, removing an
 *   enum value, or tightening a format, pattern or bound breaks those.
 * So, apart from new optional properties, every constraint keyword must stay exactly as frozen.
 */
export function breakingChanges(frozen: JsonSchema, current: JsonSchema, path = '$'): string[] {
  const changes: string[] = [];
  const [was, now] = [nullable(frozen), nullable(current)];
  if (!was.nullable && now.nullable) changes.push(`${path}: became nullable`);
  if (was.nullable && !now.nullable) changes.push(`${path}: is no longer nullable`);
  const [before, after] = [was.schema, now.schema];

  const keywords = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => !ANNOTATIONS.has(k)));
  for (const keyword of [...keywords].sort()) {
    const [a, b] = [before[keyword], after[keyword]];
    switch (keyword) {
      case 'properties':
        changes.push(...propertyChanges(before, after, path));
        break;
      case 'required':
        break; // judged with the properties
      case 'items':
        if (isObject(a) && isObject(b)) changes.push(...breakingChanges(a, b, `${path}[]`));
        else if (!sameJson(a, b)) changes.push(`${path}: items changed`);
        break;
      case 'enum':
        changes.push(...enumChanges(a, b, path));
        break;
      case 'type':
        if (!sameJson(typeList(a), typeList(b))) changes.push(`${path}: type changed from ${describe(a)} to ${describe(b)}`);
        break;
      case 'anyOf':
      case 'oneOf':
      case 'allOf':
        changes.push(...variantChanges(keyword, a, b, path));
        break;
      default:
        if (!sameJson(a, b)) {
          if (a === undefined) changes.push(`${path}: ${keyword} added (${describe(b)})`);
          else if (b === undefined) changes.push(`${path}: ${keyword} removed (was ${describe(a)})`);
          else changes.push(`${path}: ${keyword} changed from ${describe(a)} to ${describe(b)}`);
        }
    }
  }
  return changes;
}

function propertyChanges(before: JsonSchema, after: JsonSchema, path: string): string[] {
  const changes: string[] = [];
  const [was, now] = [asObject(before.properties), asObject(after.properties)];
  const [wasRequired, nowRequired] = [new Set(stringList(before.required)), new Set(stringList(after.required))];
  for (const name of Object.keys(was).sort()) {
    const at = `${path}.${name}`;
    if (!(name in now)) {
      changes.push(`${at}: property removed`);
      continue;
    }
    if (wasRequired.has(name) && !nowRequired.has(name)) changes.push(`${at}: required property made optional`);
    if (!wasRequired.has(name) && nowRequired.has(name)) changes.push(`${at}: optional property made required`);
    changes.push(...breakingChanges(asObject(was[name]), asObject(now[name]), at));
  }
  for (const name of Object.keys(now).sort()) {
    if (!(name in was) && nowRequired.has(name)) changes.push(`${path}.${name}: required property added (only optional ones may be)`);
  }
  return changes;
}

function enumChanges(a: unknown, b: unknown, path: string): string[] {
  if (a === undefined || b === undefined) return sameJson(a, b) ? [] : [`${path}: enum ${a === undefined ? 'added' : 'removed'}`];
  const [was, now] = [(a as unknown[]).map((v) => JSON.stringify(v)), (b as unknown[]).map((v) => JSON.stringify(v))];
  return [
    ...was.filter((v) => !now.includes(v)).map((v) => `${path}: enum value ${v} removed`),
    ...now.filter((v) => !was.includes(v)).map((v) => `${path}: enum value ${v} added`),
  ];
}

function variantChanges(keyword: string, a: unknown, b: unknown, path: string): string[] {
  const [was, now] = [Array.isArray(a) ? a : [], Array.isArray(b) ? b : []];
  if (was.length !== now.length) return [`${path}: ${keyword} changed from ${was.length} to ${now.length} variants`];
  return was.flatMap((variant, i) => breakingChanges(asObject(variant), asObject(now[i]), `${path}<${keyword}[${i}]>`));
}

/** zod writes `.nullable()` as `anyOf: [schema, { type: 'null' }]`; a type list may hold 'null' too. */
function nullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const variants = schema.anyOf;
  if (Array.isArray(variants) && variants.length === 2) {
    const nonNull = variants.filter((v) => !(isObject(v) && v.type === 'null'));
    if (nonNull.length === 1) {
      const { anyOf: _variants, ...rest } = schema;
      return { schema: { ...rest, ...asObject(nonNull[0]) }, nullable: true };
    }
  }
  if (Array.isArray(schema.type) && schema.type.includes('null')) {
    const types = schema.type.filter((t) => t !== 'null');
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { schema, nullable: false };
}

function typeList(type: unknown): string[] {
  if (type === undefined) return [];
  return (Array.isArray(type) ? [...type] : [type]).map(String).sort();
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function asObject(value: unknown): JsonSchema {
  return isObject(value) ? value : {};
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Key order does not change a schema's meaning. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical(value[k])]),
  );
}

function describe(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}
