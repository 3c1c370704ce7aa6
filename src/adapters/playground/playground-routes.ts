import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { feedbackForError } from '../../core/actor-feedback';
import { parseCommandText } from '../../core/commands';
import { CARD_ACTIONS, type HelpDesk, type OpenTicketResult } from '../../core/help-desk';
import { ticketForm } from '../../core/forms/ticket-form';
import { draftFromText, quickDraft } from '../../core/quick-draft';
import { type Locale, localeForText } from '../../core/i18n';
import type { UserRef } from '../../domain/ticket/ticket';
import type { DeliveryLog } from '../../domain/ticket/ticket.repository.port';
import type { Logger } from '../../logger';
import { HttpError, readJson, sendJson } from '../../server/http-util';
import type { PlaygroundHub } from './playground-hub';
import { memoryDeliveries } from './request-ids';

const userId = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'a user id is 1-32 letters, digits, dot, dash or underscore');
const identity = z.object({ user: userId, name: z.string().trim().min(1).max(64).optional() });
/** The page's id for one submission: a resent request (double click, retry) opens no second ticket. */
const requestId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'a request id is 8-64 letters, digits or dashes').optional();
const commandBody = identity.extend({ text: z.string().max(4000).default(''), requestId });
const messageBody = identity.extend({ text: z.string().trim().min(1).max(4000), threadId: z.string().max(64).optional(), requestId });
const ticketBody = identity.extend({ values: z.record(z.string(), z.union([z.string().max(5000), z.number()])), requestId });
const actionBody = identity.extend({
  action: z.enum([...CARD_ACTIONS, 'assign']),
  ticketId: z.string().min(1).max(64),
  assignee: z.object({ user: userId, name: z.string().trim().min(1).max(64).optional() }).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

const asUser = (i: { user: string; name?: string }): UserRef => ({ platform: 'playground', id: i.user, name: i.name ?? i.user });
const locale = (raw: string | null, fallback: Locale): Locale => (raw === 'zh' || raw === 'en' ? raw : fallback);

function draftFromValues(values: Record<string, string | number>) {
  const { type, title, description, ...fields } = values;
  return { type, title, description, fields };
}

/** 201 with the new ticket, or 422 with the field errors. */
function sendOpened(res: ServerResponse, result: OpenTicketResult): void {
  if (result.ok) sendJson(res, 201, { ticket: { id: result.ticket.id, key: result.ticket.key } });
  else sendJson(res, 422, { errors: result.errors });
}

export function loadPlaygroundPage(): string {
  return readFileSync(path.join(findWebRoot(), 'playground.html'), 'utf8');
}

function findWebRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'web');
    try {
      readFileSync(path.join(candidate, 'playground.html'));
      return candidate;
    } catch {
      dir = path.dirname(dir);
    }
  }
  throw new Error('web/playground.html not found next to the application');
}

/**
 * HTTP API of the local web playground (same flows as a messenger: command,
 * form, card actions). Identities are chosen freely, so it is bound to
 * localhost by default and can be turned off with CHATDESK_PLAYGROUND=false.
 */
export function createPlaygroundRoutes(deps: { desk: HelpDesk; hub: PlaygroundHub; logger: Logger; deliveries?: DeliveryLog }) {
  const { desk, hub } = deps;
  const log = deps.logger.child({ platform: 'playground' });
  const page = loadPlaygroundPage();
  const deliveries = deps.deliveries ?? memoryDeliveries();
  /** False (and 202 sent) when this submission was already received. */
  const firstTime = async (res: ServerResponse, id: string | undefined): Promise<boolean> => {
    if (!id || (await deliveries.firstDelivery(`playground:${id}`))) return true;
    sendJson(res, 202, { duplicate: true });
    return false;
  };

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:" });
        res.end(page);
        return true;
      case 'GET /api/playground/config':
        sendJson(res, 200, { locale: desk.desk.locale, ticketTypes: desk.desk.ticketTypes.map((t) => t.id), users: hub.knownUsers() });
        return true;
      case 'GET /api/playground/conversations': {
        const user = parse(identity, { user: url.searchParams.get('user') ?? '' });
        hub.seeUser(asUser(user));
        sendJson(res, 200, { conversations: hub.visibleTo(user.user) });
        return true;
      }
      case 'GET /api/playground/form': {
        const form = ticketForm(desk.desk, locale(url.searchParams.get('lang'), desk.desk.locale), {
          typeId: url.searchParams.get('type') ?? undefined,
          title: url.searchParams.get('title') ?? undefined,
        });
        sendJson(res, 200, { form });
        return true;
      }
      case 'POST /api/playground/command': {
        const body = parse(commandBody, await readJson(req));
        const text = body.text.trim();
        const parsed = parseCommandText(text);
        if (parsed.kind !== 'form' && parsed.kind !== 'quick') {
          const answer = await desk.runCommand(parsed, asUser(body), localeForText(text, desk.desk.locale));
          sendJson(res, 200, { reply: answer.text });
          return true;
        }
        const quick = quickDraft(text, desk.desk);
        if (!quick) {
          sendJson(res, 200, { form: ticketForm(desk.desk, desk.desk.locale, { title: text ? draftFromText(text).title : undefined }) });
          return true;
        }
        if (await firstTime(res, body.requestId)) sendOpened(res, await desk.openTicket(quick, asUser(body)));
        return true;
      }
      case 'POST /api/playground/messages': {
        // A message to the bot that is not a command: an answer on one of the person's tickets.
        const body = parse(messageBody, await readJson(req));
        if (!(await firstTime(res, body.requestId))) return true;
        const answer = await desk.requesterMessage(asUser(body), body.text, body.threadId);
        sendJson(res, 200, answer ? { reply: answer.text } : { matched: false });
        return true;
      }
      case 'POST /api/playground/tickets': {
        const body = parse(ticketBody, await readJson(req));
        const draft = draftFromValues(body.values);
        // Field errors do not use up the request id: the person fixes the form and sends it again.
        const validation = desk.validate(draft);
        if (!validation.ok) sendOpened(res, validation);
        else if (await firstTime(res, body.requestId)) sendOpened(res, await desk.openTicket(draft, asUser(body)));
        return true;
      }
      case 'POST /api/playground/actions': {
        const body = parse(actionBody, await readJson(req));
        const actor = asUser(body);
        const assignee = body.assignee;
        if (body.action === 'assign' && !assignee) throw new HttpError(400, 'assignee: required for assign');
        try {
          const { ticket, reply } = assignee && body.action === 'assign'
            ? { ticket: await desk.act(body.ticketId, { kind: 'assign', assignee: asUser(assignee) }, actor), reply: undefined }
            : await desk.cardAction(body.action, body.ticketId, actor);
          sendJson(res, 200, { ticket: { id: ticket.id, key: ticket.key, status: ticket.status, assignee: ticket.assignee?.id ?? null }, ...(reply ? { reply: reply.text } : {}) });
        } catch (err) {
          const feedback = feedbackForError(err, desk.desk.locale, body.ticketId);
          if (!feedback.expected) log.error({ err, ticket: body.ticketId }, 'playground action failed');
          sendJson(res, feedback.expected ? 409 : 500, { error: feedback.text });
        }
        return true;
      }
      default:
        return false;
    }
  };
}
