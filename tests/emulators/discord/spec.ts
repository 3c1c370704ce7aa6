/**
 * Checks outbound Discord REST bodies and interaction responses against
 * Discord's own OpenAPI 3.1 spec (discord/discord-api-spec), with Ajv 2020
 * resolving the spec's $refs, plus the documented limits the spec does not
 * encode (custom_id length, five rows, a custom_id on every non-link button,
 * text inputs only in modals, no pinging mentions).
 */
import fs from 'node:fs';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fixturePath } from '../../support/fixtures';

export const DISCORD_OPENAPI_PATH = fixturePath('schemas/discord/openapi.json');

type Obj = Record<string, unknown>;
interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  schema?: unknown;
}

let operations: Operation[] | undefined;
let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function load(): Operation[] {
  if (operations) return operations;
  const spec = JSON.parse(fs.readFileSync(DISCORD_OPENAPI_PATH, 'utf8')) as { paths: Record<string, Record<string, Obj>>; components: Obj };
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('snowflake', /^(0|[1-9][0-9]{0,19})$/);
  for (const f of ['int32', 'int64', 'double', 'float', 'nonce']) ajv.addFormat(f, true);
  ajv.addSchema({ $id: 'discord', components: spec.components });
  operations = [];
  for (const [template, ops] of Object.entries(spec.paths)) {
    const segments = template.split('/').map((seg) => (/^\{[^}]+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&')));
    const pattern = new RegExp(`^${segments.join('/')}$`);
    for (const [method, op] of Object.entries(ops)) {
      if (method === 'parameters') continue;
      const content = (op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content;
      operations.push({ method: method.toUpperCase(), template, pattern, schema: content?.['application/json']?.schema });
    }
  }
  // Literal segments (`@me`, `@original`) win over parameters.
  operations.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  return operations;
}

/** The spec's operation for a REST call (path without the /api/v10 prefix). */
export function findOperation(method: string, path: string): Operation | undefined {
  return load().find((o) => o.method === method && o.pattern.test(path));
}

function validator(op: Operation): ValidateFunction | undefined {
  if (!op.schema) return undefined;
  const key = `${op.method} ${op.template}`;
  let v = compiled.get(key);
  if (!v) {
    const schema = JSON.parse(JSON.stringify(op.schema).replace(/"#\/components\//g, '"discord#/components/')) as Obj;
    v = ajv!.compile(schema);
    compiled.set(key, v);
  }
  return v;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    seen.add(`${e.instancePath || '/'} ${e.message ?? e.keyword}`);
    if (seen.size >= 4) break;
  }
  return [...seen].join('; ');
}

/** Schema problems of one JSON body sent to `method path` (the official spec), as readable strings. */
export function checkAgainstOpenApi(method: string, path: string, body: unknown): string[] {
  const op = findOperation(method, path);
  if (!op) return [`${method} ${path}: not an operation of the Discord API spec`];
  const v = validator(op);
  if (!v || body === undefined) return [];
  return v(body) ? [] : [`${method} ${op.template}: ${describe(v.errors)} (official spec)`];
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Limits from Discord's docs that the spec leaves out. `where` names the payload in messages. */
export function checkMessageLimits(where: string, body: unknown, opts: { modal?: boolean } = {}): string[] {
  const out: string[] = [];
  if (!isObj(body)) return out;
  const rows = Array.isArray(body.components) ? body.components : [];
  if (rows.length > 5) out.push(`${where}: ${rows.length} component rows (max 5)`);
  const ids = new Set<string>();
  for (const row of rows) {
    const children = isObj(row) && Array.isArray(row.components) ? row.components : [];
    if (children.length > 5) out.push(`${where}: a row with ${children.length} components (max 5)`);
    for (const c of children) {
      if (!isObj(c)) continue;
      if (opts.modal && c.type !== 4) out.push(`${where}: modal component of type ${String(c.type)} (this emulator accepts text inputs only)`);
      const id = c.custom_id;
      if (c.type === 2 && c.style !== 5 && c.style !== 6 && typeof id !== 'string') out.push(`${where}: a non-link button without custom_id`);
      if (typeof id === 'string') {
        if (id.length > 100) out.push(`${where}: custom_id of ${id.length} chars (max 100)`);
        if (ids.has(id)) out.push(`${where}: duplicate custom_id ${id}`);
        ids.add(id);
      }
    }
  }
  if (!opts.modal && (typeof body.content === 'string' || Array.isArray(body.embeds))) {
    const am = body.allowed_mentions;
    if (!isObj(am) || !Array.isArray(am.parse) || am.parse.length > 0) out.push(`${where}: allowed_mentions must be { parse: [] } (no pings from user text)`);
  }
  const embeds = Array.isArray(body.embeds) ? body.embeds : [];
  const total = embeds.reduce<number>((n, e) => n + JSON.stringify(isObj(e) ? [e.title, e.description, e.footer, e.fields] : '').length, 0);
  if (total > 6000) out.push(`${where}: embeds total about ${total} chars (max 6000)`);
  return out;
}
