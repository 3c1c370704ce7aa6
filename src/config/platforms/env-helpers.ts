import { z } from 'zod';

/** An optional string where an empty value counts as unset. */
export const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** true/false (also 1/0, on/off, yes/no); unset stays undefined. */
export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => ['true', '1', 'on', 'yes'].includes(v))
  .optional();

/** An http(s) URL, normalised without a trailing slash. */
export const baseUrl = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }).transform((v) => v.replace(/\/+$/, ''));

/** A comma-separated list of values. */
export const commaList = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Adds an issue for each variable of a group that is missing while another of the group is set. */
export function requireTogether(env: Record<string, unknown>, names: string[], ctx: z.RefinementCtx): void {
  const set = names.filter((n) => env[n] !== undefined);
  if (set.length === 0 || set.length === names.length) return;
  for (const n of names) {
    if (env[n] === undefined) ctx.addIssue({ code: 'custom', path: [n], message: `required when ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set` });
  }
}
