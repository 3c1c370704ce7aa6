import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, isValidSlackRequest } from '@slack/bolt';

/** Slack's own bound for a request's age; a timestamp this far in the future is refused too (Bolt only refuses old ones). */
const MAX_SKEW_SEC = 5 * 60;
const BODY_LIMIT = 1024 * 1024;

const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with a signed payload's shape, or undefined when chatdesk can handle it. */
export function payloadProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'the payload is not an object';
  if (isString(body.command)) {
    if (!isString(body.user_id) || !isString(body.trigger_id)) return 'a slash command needs user_id and trigger_id';
    if (body.text !== undefined && !isString(body.text)) return 'a slash command text must be a string';
    return undefined;
  }
  switch (body.type) {
    case 'block_actions': {
      if (!isObject(body.user) || !isString(body.user.id)) return 'an interaction needs a user';
      if (!isString(body.trigger_id)) return 'an interaction needs a trigger_id';
      if (!Array.isArray(body.actions) || body.actions.length === 0) return 'block_actions needs actions';
      for (const a of body.actions) {
        if (!isObject(a) || !isString(a.action_id)) return 'every action needs an action_id';
        if (a.value !== undefined && !isString(a.value)) return 'an action value must be a string';
      }
      return undefined;
    }
    case 'view_submission':
    case 'view_closed':
      if (!isObject(body.user) || !isString(body.user.id)) return 'an interaction needs a user';
      if (!isObject(body.view) || !isString(body.view.id)) return 'a view submission needs its view';
      if (body.type === 'view_submission' && (!isObject(body.view.state) || !isObject(body.view.state.values))) return 'a view submission needs its state';
      return undefined;
    case 'event_callback':
      return isObject(body.event) && isString(body.event.type) ? undefined : 'an event callback needs an event';
    default:
      return undefined;
  }
}

/** The workspace this Slack app serves: requests from any other are refused. */
export interface SlackWorkspace {
  teamId?: string;
  enterpriseId?: string;
}

const idOf = (v: unknown): string | undefined => (isString(v) ? v : isObject(v) && isString(v.id) ? v.id : undefined);

/** The workspace (team) and Enterprise Grid org a signed payload comes from, as Slack names them in each payload kind. */
export function workspaceOf(body: Record<string, unknown>): { team?: string; enterprise?: string } {
  const user = isObject(body.user) ? body.user : {};
  const team = idOf(body.team_id) ?? idOf(body.team) ?? idOf(user.team_id);
  const enterprise = idOf(body.enterprise_id) ?? idOf(body.enterprise) ?? idOf(user.enterprise_id);
  return { ...(team ? { team } : {}), ...(enterprise ? { enterprise } : {}) };
}

/** Why a payload is not from the bound workspace, or undefined when it is (or nothing is bound). */
export function foreignWorkspace(body: Record<string, unknown>, bound: SlackWorkspace): string | undefined {
  const from = workspaceOf(body);
  if (bound.teamId && from.team !== bound.teamId) return `team ${String(from.team).slice(0, 20)}`;
  if (bound.enterpriseId && from.enterprise !== bound.enterpriseId) return `enterprise ${String(from.enterprise).slice(0, 20)}`;
  return undefined;
}

/**
 * Runs before Bolt on every request to /slack/events: buffers the body (Bolt
 * reuses it), refuses a timestamp more than 5 minutes in the future (401),
 * refuses a signed request from another workspace than the bound one (403,
 * before any listener runs or anything is stored), and answers a correctly signed but malformed payload with 400 instead of
 * letting it fail inside a listener. Returns true when it answered.
 */
export async function guardSlackRequest(
  req: IncomingMessage,
  res: ServerResponse,
  signingSecret: string,
  workspace: SlackWorkspace = {},
  onForeign?: (from: string) => void,
): Promise<boolean> {
  let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.bufferIncomingMessage>>;
  try {
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, BODY_LIMIT);
  } catch {
    res.writeHead(413, { 'content-type': 'text/plain' }).end('request body too large or unreadable');
    return true;
  }
  const ts = Number(req.headers['x-slack-request-timestamp']);
  if (Number.isFinite(ts) && ts > Math.floor(Date.now() / 1000) + MAX_SKEW_SEC) {
    res.writeHead(401, { 'content-type': 'text/plain' }).end('x-slack-request-timestamp is in the future');
    return true;
  }
  const raw = buffered.rawBody.toString();
  const signature = req.headers['x-slack-signature'];
  const signed =
    isString(signature) &&
    Number.isFinite(ts) &&
    isValidSlackRequest({ signingSecret, body: raw, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts } });
  // Unsigned requests are left to Bolt, which refuses them (401): nothing about their content is revealed here.
  if (!signed) return false;
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('the payload is not valid JSON');
    return true;
  }
  const problem = payloadProblem(body);
  if (!problem) {
    const foreign = foreignWorkspace(body as Record<string, unknown>, workspace);
    if (!foreign) return false;
    onForeign?.(foreign);
    res.writeHead(403, { 'content-type': 'text/plain' }).end('this app serves another Slack workspace');
    return true;
  }
  res.writeHead(400, { 'content-type': 'text/plain' }).end(problem);
  return true;
}
