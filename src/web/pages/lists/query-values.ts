/** Checks of query-string parameters shared by the list and matrix pages. */
import { BadRequestError } from '../../../errors.js';

/** Query strings as Fastify parses them: a repeated parameter becomes an array. */
export type QueryValues = Record<string, string | string[] | undefined>;

/** Returns the parameter's value, or undefined when it is absent or empty; rejects a repeated parameter. */
export function singleValue(query: QueryValues, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new BadRequestError(`The query parameter "${name}" is given ${value.length} times. Give it once.`);
  return value === undefined || value === '' ? undefined : value;
}

/** Returns the parameter's value from the allowed ones (case-insensitively, spelled as in `allowed`), else `fallback`. */
export function choiceValue<T extends string>(query: QueryValues, name: string, allowed: readonly T[], fallback: T): T;
export function choiceValue<T extends string>(query: QueryValues, name: string, allowed: readonly T[], fallback?: T): T | undefined;
export function choiceValue<T extends string>(query: QueryValues, name: string, allowed: readonly T[], fallback?: T): T | undefined {
  const value = singleValue(query, name);
  if (value === undefined) return fallback;
  const match = allowed.find((choice) => choice.toLowerCase() === value.toLowerCase());
  if (match === undefined) {
    const choices = allowed.length === 0 ? 'none' : allowed.map((choice) => `"${choice}"`).join(', ');
    throw new BadRequestError(`Invalid value "${value}" for the query parameter "${name}". Allowed values: ${choices}.`);
  }
  return match;
}
