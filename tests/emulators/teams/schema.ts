/**
 * Checks outbound Adaptive Cards against the official Adaptive Card 1.5 JSON
 * Schema (microsoft/AdaptiveCards, the version Teams renders) plus the one
 * Teams extension chatdesk uses: the people picker's `choices.data`
 * (Data.Query), checked against its official definition from the 1.6 schema.
 * Also Teams' message size limit. Problems are returned as strings.
 */
import fs from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { fixturePath } from '../../support/fixtures';

export const ADAPTIVE_CARD_SCHEMA = fixturePath('schemas/teams/adaptive-cards/1.5.0/adaptive-card.json');
export const ADAPTIVE_CARD_16_SCHEMA = fixturePath('schemas/teams/adaptive-cards/1.6.0/adaptive-card.json');
export const TEAMS_MANIFEST_SCHEMA = fixturePath('schemas/teams/app-manifest/v1.20/MicrosoftTeams.schema.json');
/** Teams refuses messages over about 28 KB (payload incl. cards). */
export const MESSAGE_MAX_BYTES = 28 * 1024;
const PEOPLE_DATASET = 'graph.microsoft.com/users';

let compiled: { card: ValidateFunction; dataQuery: ValidateFunction } | undefined;

function validators() {
  if (compiled) return compiled;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  addFormats(ajv);
  const card = JSON.parse(fs.readFileSync(ADAPTIVE_CARD_SCHEMA, 'utf8')) as Record<string, unknown>;
  // The file names its id with draft-04's `id`; Ajv only reads `$id`.
  card.$id = card.id;
  delete card.id;
  const v16 = JSON.parse(fs.readFileSync(ADAPTIVE_CARD_16_SCHEMA, 'utf8')) as { definitions: Record<string, unknown> };
  compiled = { card: ajv.compile(card), dataQuery: ajv.compile(v16.definitions['Data.Query'] as object) };
  return compiled;
}

type Json = Record<string, unknown>;

/** Removes (and checks) the Teams-only `choices.data` on Input.ChoiceSet, anywhere in the card. */
function stripTeamsExtensions(node: unknown, where: string, problems: string[]): unknown {
  if (Array.isArray(node)) return node.map((n, i) => stripTeamsExtensions(n, `${where}/${i}`, problems));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'choices.data' && (node as Json).type === 'Input.ChoiceSet') {
      const dq = validators().dataQuery;
      if (!dq(v)) problems.push(`${where}/choices.data: ${dq.errors?.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
      else if ((v as Json).dataset !== PEOPLE_DATASET)
        problems.push(`${where}/choices.data: dataset ${String((v as Json).dataset)} is not the Teams people picker`);
      continue;
    }
    out[k] = stripTeamsExtensions(v, `${where}/${k}`, problems);
  }
  return out;
}

/** Problems with one Adaptive Card, empty when valid. */
export function checkAdaptiveCard(card: unknown, where = 'card'): string[] {
  const problems: string[] = [];
  if (!card || typeof card !== 'object') return [`${where}: not an object`];
  const c = card as Json;
  if (c.type !== 'AdaptiveCard') problems.push(`${where}: type must be AdaptiveCard`);
  if (c.version !== '1.5' && c.version !== '1.4') problems.push(`${where}: version ${String(c.version)} (Teams renders up to 1.5)`);
  const stripped = stripTeamsExtensions(card, where, problems);
  const v = validators().card;
  if (!v(stripped)) {
    // anyOf branches make Ajv list every alternative; the deepest paths say what is wrong.
    const errors = v.errors ?? [];
    const depth = Math.max(...errors.map((e) => e.instancePath.split('/').length));
    const deepest = errors.filter((e) => e.instancePath.split('/').length === depth).slice(0, 4);
    problems.push(
      `${where}: ${deepest.map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`).join('; ')}`,
    );
  }
  return problems;
}

/** Problems with an outbound activity (create or update), empty when valid. */
export function checkActivity(activity: Json, where: string): string[] {
  const problems: string[] = [];
  if (activity.type !== 'message') problems.push(`${where}: type ${String(activity.type)} is not message`);
  const attachments = Array.isArray(activity.attachments) ? (activity.attachments as Json[]) : [];
  if (!activity.text && attachments.length === 0) problems.push(`${where}: neither text nor attachments`);
  attachments.forEach((a, i) => {
    if (a.contentType === 'application/vnd.microsoft.card.adaptive') problems.push(...checkAdaptiveCard(a.content, `${where}/attachments/${i}`));
    else problems.push(`${where}/attachments/${i}: unexpected contentType ${String(a.contentType)}`);
  });
  const size = Buffer.byteLength(JSON.stringify(activity));
  if (size > MESSAGE_MAX_BYTES) problems.push(`${where}: ${size} bytes is over Teams' ${MESSAGE_MAX_BYTES}-byte message limit`);
  return problems;
}
