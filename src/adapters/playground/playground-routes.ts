import { readFileSync } from 'node:fs';
import { findWebRoot } from '../../server/web-root';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { COMMANDS, commandArguments, parseCommandText } from '../../core/commands';
import { CARD_ACTIONS, type HelpDesk } from '../../core/help-desk';
import type { IntakeOutcome, IntakeRequest } from '../../core/intake/intake-event';
import type { IntakePipeline } from '../../core/intake/intake-pipeline';
import { intakeRefusal } from '../../core/intake/refusal';
import { randomUUID } from 'node:crypto';
import { ticketForm } from '../../core/forms/ticket-form';
import { draftFromText, quickDraft } from '../../core/quick-draft';
import { type Locale, localeForText } from '../../core/i18n';
import { TICKET_TEXT_FORMS, type TicketTextFormId, ticketTextField, ticketTextRequest, ticketTextRequired } from '../../core/forms/ticket-text-forms';
import type { UserRef } from '../../domain/ticket/ticket';
import type { Logger } from '../../logger';
import { HttpError, readJson, sendJson } from '../../server/http-util';
import type { PlaygroundHub } from './playground-hub';
import { crossSiteProblem } from './same-origin';
import type { WaitedSubmit } from '../../core/intake/intake-pipeline';

const userId = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'a user id is 1-32 letters, digits, dot, dash or underscore');
const identity = z.object({ user: userId, name: z.string().trim().min(1).max(64).optional() });
/** The page's id for one submission: a resent request (double click, retry) opens no second ticket. */
const requestId = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, 'a request id is 8-64 letters, digits or dashes')
  .optional();
const commandBody = identity.extend({ text: z.string().max(4000).default(''), requestId });
const messageBody = identity.extend({ text: z.string().trim().min(1).max(4000), threadId: z.string().max(64).optional(), requestId });
const ticketBody = identity.extend({ values: z.record(z.string(), z.union([z.string().max(5000), z.number()])), requestId });
const textFormBody = identity.extend({ ticketId: z.string().min(1).max(64), text: z.string().max(4000), requestId });
/** Where the page sends a one-text-area form (the card's Note, the rating's "Add a comment"). */
export const TEXT_FORM_PATHS: Record<TicketTextFormId, string> = { note: '/api/playground/notes', csat_comment: '/api/playground/csat-comments' };
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

/** How long a playground request waits for its outcome before answering 202 (the outcome then arrives over the socket). */
const ANSWER_WITHIN_MS = 10_000;

/** A command's or form's outcome as the page reads it: 201 and the ticket, 422 and the field errors, 200 and a reply, 409 for a refusal. */
function sendOutcome(res: ServerResponse, outcome: IntakeOutcome): void {
  if (outcome.status === 'created' && outcome.ticket) sendJson(res, 201, { ticket: outcome.ticket });
  else if (outcome.errors) sendJson(res, 422, { errors: outcome.errors });
  else if (outcome.status === 'answered') sendJson(res, 200, { reply: outcome.message?.text ?? '' });
  else sendJson(res, outcome.status === 'refused' ? 409 : 500, { error: outcome.message?.text ?? '' });
}

export function loadPlaygroundPage(): string {
  return readFileSync(path.join(findWebRoot('playground.html'), 'playground.html'), 'utf8');
}

/**
 * HTTP API of the local web playground (same flows as a messenger: command,
 * form, card actions). Identities are chosen freely, so it is bound to
 * localhost by default and can be turned off with CHATDESK_PLAYGROUND=false.
 */
export function createPlaygroundRoutes(deps: {
  desk: HelpDesk;
  hub: PlaygroundHub;
  logger: Logger;
  intake: IntakePipeline /** Host names it answers to (see same-origin.ts). */;
  hosts: ReadonlySet<string>;
}) {
  const { desk, hub } = deps;
  const log = deps.logger.child({ platform: 'playground' });
  const page = loadPlaygroundPage();

  /**
   * Stores the request (the page's id for it makes a resent request the same
   * one), waits for its outcome, and answers with it: 201 with a new ticket,
   * 200 with a reply, 422 with field errors, 409 for a refusal, 202 when it is
   * still being worked on (or was received before), 503 when it was not stored.
   */
  const submit = async (
    res: ServerResponse,
    who: { user: string; name?: string },
    requestId: string | undefined,
    lang: Locale,
    request: IntakeRequest,
  ): Promise<IntakeOutcome | undefined> => {
    const event = { id: `playground:${requestId ?? randomUUID()}`, platform: 'playground' as const, user: asUser(who), locale: lang, request, reply: {} };
    let answer: WaitedSubmit;
    try {
      answer = await deps.intake.submitAndWait(event, ANSWER_WITHIN_MS);
    } catch (err) {
      const refusal = intakeRefusal(err, lang);
      sendJson(res, refusal.status, { error: refusal.text });
      return undefined;
    }
    if (answer.result === 'duplicate') {
      sendJson(res, 202, { duplicate: true });
      return undefined;
    }
    if (!answer.outcome) {
      sendJson(res, 202, { pending: true });
      return undefined;
    }
    return answer.outcome;
  };

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const route = `${req.method} ${url.pathname}`;
    if (url.pathname === '/' || url.pathname.startsWith('/api/playground/')) {
      const problem = crossSiteProblem(req, deps.hosts, { changesState: req.method !== 'GET' && req.method !== 'HEAD' });
      if (problem) {
        log.info({ route: route.slice(0, 80), problem }, 'playground request refused: not from the playground page');
        sendJson(res, 403, { error: 'cross-site requests to the playground are refused' });
        return true;
      }
    }
    switch (route) {
      case 'GET /':
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:",
        });
        res.end(page);
        return true;
      case 'GET /api/playground/config':
        sendJson(res, 200, {
          locale: desk.desk.locale,
          ticketTypes: desk.desk.ticketTypes.map((t) => t.id),
          users: await hub.knownUsers(),
          commandWords: COMMANDS.aliases,
          channels: desk.desk.teams.flatMap((t) => (t.agentChannels.playground ? [{ id: t.agentChannels.playground, team: t.name }] : [])),
        });
        return true;
      case 'GET /api/playground/conversations': {
        const user = parse(identity, { user: url.searchParams.get('user') ?? '' });
        await hub.seeUser(asUser(user));
        sendJson(res, 200, { conversations: await hub.visibleTo(user.user) });
        return true;
      }
      case 'GET /api/playground/form': {
        const form = ticketForm(desk.desk, locale(url.searchParams.get('lang'), desk.desk.locale), {
          typeId: url.searchParams.get('type') ?? undefined,
          title: url.searchParams.get('title') ?? undefined,
          today: desk.today(),
        });
        sendJson(res, 200, { form });
        return true;
      }
      case 'POST /api/playground/command': {
        const body = parse(commandBody, await readJson(req));
        // The page may send what was typed, `/工单 …` included.
        const text = (commandArguments(body.text, { slash: true }) ?? body.text).trim();
        const lang = localeForText(text, desk.desk.locale);
        const parsed = parseCommandText(text);
        if (parsed.kind === 'help') {
          sendJson(res, 200, { reply: desk.help(lang).text });
          return true;
        }
        if (parsed.kind === 'form' || (parsed.kind === 'quick' && !quickDraft(text, desk.desk))) {
          sendJson(res, 200, { form: ticketForm(desk.desk, desk.desk.locale, { title: text ? draftFromText(text).title : undefined, today: desk.today() }) });
          return true;
        }
        const outcome = await submit(res, body, body.requestId, lang, { kind: 'command', text });
        if (outcome) sendOutcome(res, outcome);
        return true;
      }
      case 'POST /api/playground/messages': {
        // A message to the bot that is not a command: an answer on one of the person's tickets.
        const body = parse(messageBody, await readJson(req));
        await hub.postFromUser(asUser(body), body.text, body.threadId);
        const outcome = await submit(res, body, body.requestId, localeForText(body.text, desk.desk.locale), {
          kind: 'message',
          text: body.text,
          ...(body.threadId ? { threadId: body.threadId } : {}),
        });
        // An offer to open a ticket with the message is a card in the person's DM, like on the messengers.
        if (outcome?.unmatched && outcome.message?.card) await hub.sendDirect(asUser(body), outcome.message);
        if (outcome) sendJson(res, 200, outcome.unmatched || !outcome.message ? { matched: false } : { reply: outcome.message.text });
        return true;
      }
      case 'POST /api/playground/tickets': {
        const body = parse(ticketBody, await readJson(req));
        const draft = draftFromValues(body.values);
        // Field errors do not use up the request id: the person fixes the form and sends it again.
        const validation = desk.validate(draft);
        if (!validation.ok) {
          sendJson(res, 422, { errors: validation.errors });
          return true;
        }
        const outcome = await submit(res, body, body.requestId, localeForText(String(draft.title ?? ''), desk.desk.locale), { kind: 'submit', draft });
        if (outcome) sendOutcome(res, outcome);
        return true;
      }
      case 'POST /api/playground/actions': {
        const body = parse(actionBody, await readJson(req));
        const assignee = body.assignee;
        if (body.action === 'assign' && !assignee) throw new HttpError(400, 'assignee: required for assign');
        const request: IntakeRequest = {
          kind: 'button',
          action: body.action,
          ticketId: body.ticketId,
          ...(assignee && body.action === 'assign' ? { assignee: asUser(assignee) } : {}),
        };
        const outcome = await submit(res, body, undefined, desk.desk.locale, request);
        if (!outcome) return true;
        if (outcome.status === 'refused' || outcome.status === 'failed') {
          if (outcome.status === 'failed') log.error({ ticket: body.ticketId }, 'playground action failed');
          sendJson(res, outcome.status === 'refused' ? 409 : 500, { error: outcome.message?.text ?? '' });
          return true;
        }
        // Note or "Add a comment", allowed: the page shows the form in the card (its submission goes to TEXT_FORM_PATHS).
        if (outcome.form) sendJson(res, 200, { ticket: outcome.ticket, form: outcome.form });
        else sendJson(res, 200, { ticket: outcome.ticket, ...(outcome.message ? { reply: outcome.message.text } : {}) });
        return true;
      }
      default: {
        const form = req.method === 'POST' ? TICKET_TEXT_FORMS.find((f) => TEXT_FORM_PATHS[f] === url.pathname) : undefined;
        if (!form) return false;
        // A note or comment form's submission: the core checks who may and refuses an empty one (409 with the reason).
        const body = parse(textFormBody, await readJson(req));
        // Said in the form, like a ticket form's field errors: the request id is not used up.
        if (!body.text.trim()) {
          sendJson(res, 422, { errors: { [ticketTextField(form)]: ticketTextRequired(form, desk.desk.locale) } });
          return true;
        }
        const outcome = await submit(res, body, body.requestId, desk.desk.locale, ticketTextRequest(form, body.ticketId, body.text));
        if (outcome) sendOutcome(res, outcome);
        return true;
      }
    }
  };
}
