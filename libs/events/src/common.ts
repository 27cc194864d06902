import { z } from 'zod';

/** Roles as the contract names them. */
export const RoleSchema = z.enum(['TALENT', 'CLIENT', 'CONNECTOR', 'INSPECTOR', 'ADMIN']);
export type Role = z.infer<typeof RoleSchema>;

/** ISO 3166-1 alpha-2, upper case. */
export const CountryCodeSchema = z.string().regex(/^[A-Z]{2}$/);

/** Decimal amounts travel as strings, never floats. */
export const DecimalStringSchema = z.string().regex(/^-?\d+(\.\d+)?$/);

export const IsoDateTimeSchema = z.iso.datetime({ offset: true });
