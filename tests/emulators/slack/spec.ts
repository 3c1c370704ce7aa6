/**
 * Checks outbound Web API calls against Slack's own published OpenAPI (Swagger
 * 2.0) spec, plus a minimal Block Kit check written here from Slack's
 * documented limits. Problems are returned as strings; the emulator pushes them
 * into `schemaViolations` (it does not reject the call).
 */
import fs from 'node:fs';
import { fixturePath } from '../../support/fixtures';

export const SLACK_OPENAPI_PATH = fixturePath('schemas/slack/slack-api-specs/web-api/slack_web_openapi_v2.json');

interface SwaggerParam {
  name: string;
  in: string;
  required?: boolean;
}
interface MethodSpec {
  required: Set<string>;
  known: Set<string>;
}

/**
 * The published spec dates from 2020. Arguments Slack added later, which the
 * real SDK/bot legitimately sends, are allowed here (add only ones actually met).
 */
export const NEWER_ARGS_ALLOWLIST: Record<string, readonly string[]> = {
  // Bolt's per-request WebClient is built with the request's teamId, and @slack/web-api then adds
  // `team_id` to every call's body (needed for org-wide apps). Met with @slack/bolt 5.1 / web-api 8.2.
  '*': ['team_id'],
  // Message metadata (2022).
  'chat.postMessage': ['metadata'],
  'chat.update': ['metadata'],
  // Reading message metadata back (2022; `IncludeAllMetadata` in @slack/web-api 8.2's request types).
  'conversations.history': ['include_all_metadata'],
  'conversations.replies': ['include_all_metadata'],
};

/** Sent by @slack/web-api as `Authorization: Bearer`, never needed in the body. */
const IGNORED_PARAMS = new Set(['token']);

let specCache: Map<string, MethodSpec> | undefined;

function loadSpec(): Map<string, MethodSpec> {
  if (specCache) return specCache;
  const raw = JSON.parse(fs.readFileSync(SLACK_OPENAPI_PATH, 'utf8')) as {
    paths: Record<string, Record<string, { parameters?: SwaggerParam[] }>>;
  };
  const map = new Map<string, MethodSpec>();
  for (const [path, ops] of Object.entries(raw.paths)) {
    const method = path.replace(/^\//, '');
    const required = new Set<string>();
    const known = new Set<string>();
    for (const op of Object.values(ops)) {
      for (const p of op.parameters ?? []) {
        if (IGNORED_PARAMS.has(p.name)) continue;
        known.add(p.name);
        if (p.required) required.add(p.name);
      }
    }
    map.set(method, { required, known });
  }
  specCache = map;
  return map;
}

/** Whether the official spec documents this method at all. */
export function specHasMethod(method: string): boolean {
  return loadSpec().has(method);
}

/** Required-missing and unknown-parameter problems for one call, per the official spec. */
export function checkAgainstOpenApi(method: string, args: Record<string, unknown>): string[] {
  const spec = loadSpec().get(method);
  if (!spec) return [];
  const problems: string[] = [];
  for (const name of spec.required) {
    const v = args[name];
    if (v === undefined || v === null || v === '') problems.push(`${method}: missing required parameter '${name}' (official spec)`);
  }
  const allow = new Set([...(NEWER_ARGS_ALLOWLIST['*'] ?? []), ...(NEWER_ARGS_ALLOWLIST[method] ?? [])]);
  for (const name of Object.keys(args)) {
    if (IGNORED_PARAMS.has(name) || spec.known.has(name) || allow.has(name)) continue;
    problems.push(`${method}: unknown parameter '${name}' (not in official spec nor in the newer-args allowlist)`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Block Kit (minimal, from https://docs.slack.dev/reference/block-kit limits)
// ---------------------------------------------------------------------------

const KNOWN_BLOCK_TYPES = new Set([
  'actions',
  'context',
  'context_actions',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
  'call',
]);

const KNOWN_ELEMENT_TYPES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'email_text_input',
  'file_input',
  'image',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'number_input',
  'overflow',
  'plain_text_input',
  'radio_buttons',
  'rich_text_input',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'timepicker',
  'url_text_input',
  'workflow_button',
  'feedback_buttons',
  'icon_button',
]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkTextObject(v: unknown, where: string, max: number, out: string[], opts: { plainOnly?: boolean } = {}): void {
  if (!isObj(v)) {
    out.push(`${where}: must be a text object {type, text}`);
    return;
  }
  if (v.type !== 'plain_text' && v.type !== 'mrkdwn') out.push(`${where}.type: must be 'plain_text' or 'mrkdwn' (got ${JSON.stringify(v.type)})`);
  else if (opts.plainOnly && v.type !== 'plain_text') out.push(`${where}.type: must be 'plain_text'`);
  if (typeof v.text !== 'string') {
    out.push(`${where}.text: must be a string`);
    return;
  }
  if (v.text.length === 0) out.push(`${where}.text: must not be empty`);
  if (v.text.length > max) out.push(`${where}.text: ${v.text.length} chars (max ${max})`);
}

function checkId(v: unknown, where: string, out: string[]): void {
  if (v === undefined) return;
  if (typeof v !== 'string') out.push(`${where}: must be a string`);
  else if (v.length > 255) out.push(`${where}: ${v.length} chars (max 255)`);
}

function checkElement(el: unknown, where: string, out: string[]): void {
  if (!isObj(el)) {
    out.push(`${where}: must be an object`);
    return;
  }
  if (typeof el.type !== 'string' || !KNOWN_ELEMENT_TYPES.has(el.type)) {
    out.push(`${where}.type: unknown element type ${JSON.stringify(el.type)}`);
    return;
  }
  checkId(el.action_id, `${where}.action_id`, out);
  if (el.placeholder !== undefined) checkTextObject(el.placeholder, `${where}.placeholder`, 150, out, { plainOnly: true });
  if (el.type === 'button') {
    checkTextObject(el.text, `${where}.text`, 75, out, { plainOnly: true });
    if (el.value !== undefined && (typeof el.value !== 'string' || el.value.length > 2000)) out.push(`${where}.value: must be a string of at most 2000 chars`);
    if (typeof el.url === 'string' && el.url.length > 3000) out.push(`${where}.url: ${el.url.length} chars (max 3000)`);
    if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') out.push(`${where}.style: must be 'primary' or 'danger'`);
  }
  if ((el.type === 'static_select' || el.type === 'multi_static_select') && el.options === undefined && el.option_groups === undefined) {
    out.push(`${where}: ${el.type} needs options or option_groups`);
  }
}

/** Checks element action_ids are unique within one block. */
function checkUniqueActionIds(elements: unknown[], where: string, out: string[]): void {
  const seen = new Set<string>();
  for (const el of elements) {
    if (!isObj(el) || typeof el.action_id !== 'string') continue;
    if (seen.has(el.action_id)) out.push(`${where}: duplicate action_id '${el.action_id}' within the block`);
    seen.add(el.action_id);
  }
}

export type Surface = 'message' | 'modal' | 'home';

export function checkBlocks(blocks: unknown, where: string, surface: Surface): string[] {
  const out: string[] = [];
  if (!Array.isArray(blocks)) {
    out.push(`${where}: blocks must be an array`);
    return out;
  }
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) out.push(`${where}: ${blocks.length} blocks (max ${max} in a ${surface})`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const at = `${where}[${i}]`;
    if (!isObj(b)) {
      out.push(`${at}: must be an object`);
      return;
    }
    if (typeof b.type !== 'string' || !KNOWN_BLOCK_TYPES.has(b.type)) {
      out.push(`${at}.type: unknown block type ${JSON.stringify(b.type)}`);
      return;
    }
    checkId(b.block_id, `${at}.block_id`, out);
    if (typeof b.block_id === 'string') {
      if (blockIds.has(b.block_id)) out.push(`${at}.block_id: duplicate block_id '${b.block_id}'`);
      blockIds.add(b.block_id);
    }
    switch (b.type) {
      case 'section':
        if (b.text === undefined && b.fields === undefined) out.push(`${at}: section needs text or fields`);
        if (b.text !== undefined) checkTextObject(b.text, `${at}.text`, 3000, out);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields)) out.push(`${at}.fields: must be an array`);
          else {
            if (b.fields.length > 10) out.push(`${at}.fields: ${b.fields.length} items (max 10)`);
            for (const [j, f] of b.fields.entries()) checkTextObject(f, `${at}.fields[${j}]`, 2000, out);
          }
        }
        if (b.accessory !== undefined) checkElement(b.accessory, `${at}.accessory`, out);
        break;
      case 'header':
        checkTextObject(b.text, `${at}.text`, 150, out, { plainOnly: true });
        break;
      case 'actions':
        if (!Array.isArray(b.elements) || b.elements.length === 0) out.push(`${at}.elements: must be a non-empty array`);
        else {
          if (b.elements.length > 25) out.push(`${at}.elements: ${b.elements.length} items (max 25)`);
          for (const [j, el] of b.elements.entries()) checkElement(el, `${at}.elements[${j}]`, out);
          checkUniqueActionIds(b.elements, at, out);
        }
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0) out.push(`${at}.elements: must be a non-empty array`);
        else if (b.elements.length > 10) out.push(`${at}.elements: ${b.elements.length} items (max 10)`);
        break;
      case 'input':
        checkTextObject(b.label, `${at}.label`, 2000, out, { plainOnly: true });
        if (b.element === undefined) out.push(`${at}.element: required in an input block`);
        else checkElement(b.element, `${at}.element`, out);
        break;
      case 'image':
        if (typeof b.alt_text !== 'string') out.push(`${at}.alt_text: required`);
        break;
      default:
        break;
    }
  });
  return out;
}

/** Checks a chat.* message body (blocks + `text` fallback). */
export function checkMessage(method: string, args: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (args.blocks !== undefined) {
    out.push(...checkBlocks(args.blocks, `${method}: blocks`, 'message'));
    const hasText = typeof args.text === 'string' && args.text.length > 0;
    if (!hasText) out.push(`${method}: blocks given without a top-level 'text' fallback (Slack warns; notifications and screen readers use it)`);
  }
  if (typeof args.text === 'string' && args.text.length > 40000) out.push(`${method}: text ${args.text.length} chars (max 40000)`);
  return out;
}

/** Checks a view object for views.open / views.push / views.update. */
export function checkView(method: string, view: unknown): string[] {
  const out: string[] = [];
  const at = `${method}: view`;
  if (!isObj(view)) {
    out.push(`${at}: must be an object`);
    return out;
  }
  if (view.type !== 'modal' && view.type !== 'home') out.push(`${at}.type: must be 'modal' or 'home' (got ${JSON.stringify(view.type)})`);
  const surface: Surface = view.type === 'home' ? 'home' : 'modal';
  if (surface === 'modal') {
    checkTextObject(view.title, `${at}.title`, 24, out, { plainOnly: true });
    if (view.submit !== undefined) checkTextObject(view.submit, `${at}.submit`, 24, out, { plainOnly: true });
    if (view.close !== undefined) checkTextObject(view.close, `${at}.close`, 24, out, { plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) out.push(`${at}.submit: required when the modal has input blocks`);
  }
  checkId(view.callback_id, `${at}.callback_id`, out);
  if (view.private_metadata !== undefined && (typeof view.private_metadata !== 'string' || view.private_metadata.length > 3000)) {
    out.push(`${at}.private_metadata: must be a string of at most 3000 chars`);
  }
  if (typeof view.external_id === 'string' && view.external_id.length > 255) out.push(`${at}.external_id: max 255 chars`);
  out.push(...checkBlocks(view.blocks, `${at}.blocks`, surface));
  return out;
}
