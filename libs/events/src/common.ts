import { z } from 'zod';

/** Roles as the contract names them. */
export const RoleSchema = z.enum(['TALENT', 'CLIENT', 'CONNECTOR', 'INSPECTOR', 'ADMIN']);
export type Role = z.infer<typeof RoleSchema>;

/** ISO 3166-1 alpha-2, upper case. */
export const CountryCodeSchema = z.string().regex(/^[A-Z]{2}$/);

/** Decimal amounts travel as strings, never floats. */
export const DecimalStringSchema = z.string().regex(/^-?\d+(\.\d+)?$/);

export const IsoDateTimeSchema = z.iso.datetime({ offset: true });

/** ISO 4217 currency code. */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/);

/** Money as it travels in events: a decimal string in major units and a currency. */
export const MoneySchema = z.object({ amount: DecimalStringSchema, currency: CurrencySchema });
export type Money = z.infer<typeof MoneySchema>;

export const RateUnitSchema = z.enum(['HOURLY', 'FIXED']);
