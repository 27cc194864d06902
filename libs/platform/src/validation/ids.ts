const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row (queries answer null, mutations NOT_FOUND). */
export const isUuid = (value: string): boolean => UUID.test(value);

/** Length in characters (code points), as PostgreSQL's char_length counts them. */
export const charLength = (value: string): number => [...value].length;
