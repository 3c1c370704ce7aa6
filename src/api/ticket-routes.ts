import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PRIORITIES } from '../ai/classifier.port';
import type { HelpDesk } from '../core/help-desk';
import type { IntakeEvent } from '../core/intake/intake-event';
import type { IntakePipeline } from '../core/intake/intake-pipeline';
import { historyEntryView, ticketViewSchema, toHistoryView, toTicketView } from '../core/ticket-view';
import { ticketActionForButton } from '../core/card-buttons';
import { firstEscalationContact } from '../domain/sla/escalation-contact';
import { ACTOR_PLATFORMS, OPEN_STATUSES, parseUserKey, sameUser, TICKET_STATUSES, type Ticket, type UserRef } from '../domain/ticket/ticket';
import { MAX_TAGS, normalizeTag, type TicketAction } from '../domain/ticket/transitions';
import { decide, type PermissionAction } from '../domain/access/permissions';
import { OPEN_SLA_STATES, SLA_STATES, slaState } from '../domain/sla/sla-state';
import { addInternalNote } from '../core/internal-note';
import { publicHistory } from '../core/ticket-history';
import { hasScope } from './api-token';
import { tokenRoles } from './token-roles';
import { DESCRIPTION_MAX, TITLE_MAX } from '../domain/ticket/ticket-draft';
import { apiActor, type Principal } from './api-auth';
import { ApiError } from './api-errors';
import { errorResponses } from './api-schemas';
import { decodeCursor, encodeCursor, filtersDigest } from './cursor';
import { SORTS, type TicketSearch } from './ticket-search.port';

/** How long POST /tickets waits for the ticket (classified, stored, cards posted) before answering 202. */
const CREATE_WAIT_MS = 10_000;

const person = z
  .string()
  .max(200)
  .regex(/^[a-z]+:.+$/, 'expected platform:id, e.g. slack:U0123ABC')
  .describe('A person as platform:id (slack, teams, discord, feishu, playground).');
const csv = <T extends [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1))
    .describe(`One or more of ${values.join(', ')}, separated by commas.`);
const when = z.iso.datetime({ offset: true });

const createBody = z.strictObject({
  title: z
    .string()
    .max(TITLE_MAX * 2)
    .describe(`Required; at most ${TITLE_MAX} characters once spaces are collapsed.`),
  description: z
    .string()
    .max(DESCRIPTION_MAX * 2)
    .optional(),
  type: z.string().max(60).optional().describe("A ticket type of the desk; the desk's default type when left out."),
  fields: z
    .record(z.string().max(60), z.union([z.string().max(4000), z.number()]))
    .optional()
    .describe("The type's own fields, by field id."),
  requester: person.optional().describe('Who the ticket is for (they follow it in a DM thread). Left out: the API client itself.'),
});

const listQuery = z.strictObject({
  status: csv([...TICKET_STATUSES]).optional(),
  priority: csv([...PRIORITIES]).optional(),
  team: z.string().max(60).optional(),
  category: z.string().max(60).optional(),
  tag: z.string().max(60).optional(),
  assignee: z.string().max(200).optional().describe('platform:id (api:<token name> for an API client), or none for unassigned tickets.'),
  requester: person.optional(),
  createdAfter: when.optional(),
  createdBefore: when.optional(),
  updatedAfter: when.optional(),
  updatedBefore: when.optional(),
  sla: csv([...SLA_STATES])
    .optional()
    .describe(
      'SLA state now. Open tickets: ok (on time), warning (past the first reminder), breached (past due), paused (waiting on the requester); resolved or closed: met (on time), missed (late). Several separated by commas.',
    ),
  q: z.string().max(200).optional().describe('Search words: tickets whose key, title or description contain every word (case-insensitive).'),
  sort: z.enum(SORTS).default('-createdAt'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(400).optional().describe('nextCursor of the previous page (with the same filters and sort).'),
});

const note = z.string().min(1).max(DESCRIPTION_MAX);
const actionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('claim') }).describe('The API client takes the ticket (it becomes the assignee).'),
  z.strictObject({ action: z.literal('assign'), assignee: person }),
  z.strictObject({ action: z.literal('resolve'), note: note.optional() }),
  z.strictObject({ action: z.literal('reopen') }),
  z.strictObject({
    action: z.literal('escalate'),
    note: note.optional(),
    to: person.optional().describe("Who is asked to step in; left out: the team's first escalation contact."),
  }),
  z.strictObject({ action: z.literal('wait') }).describe('Waiting on the requester (pauses the SLA clock).'),
  z.strictObject({ action: z.literal('reply'), text: note }).describe('A reply to the requester, in their DM thread.'),
  z
    .strictObject({ action: z.literal('note'), text: note })
    .describe('An internal note: only agents see it (under the card, and over the API with notes:read).'),
  z
    .strictObject({
      action: z.literal('tag'),
      add: z.array(z.string().max(40)).max(MAX_TAGS).optional(),
      remove: z.array(z.string().max(40)).max(MAX_TAGS).optional(),
    })
    .describe('Adds and removes tags.'),
  z.strictObject({ action: z.literal('close') }).describe('Closes the ticket.'),
]);

/** What each API action asks, in the permission matrix's words (the same as the card buttons and agent commands). */
const ACTION_PERMISSION: Record<z.infer<typeof actionBody>['action'], PermissionAction> = {
  claim: 'claim',
  assign: 'assign',
  resolve: 'resolve',
  reopen: 'reopen',
  escalate: 'escalate',
  wait: 'wait',
  reply: 'reply',
  note: 'note',
  tag: 'tag',
  close: 'close',
};

/** Every word (case-insensitive) in the key, title or description. */
function hasWords(ticket: Ticket, words: string[]): boolean {
  const text = `${ticket.key} ${ticket.title} ${ticket.description}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

function tags(values: string[] | undefined, field: string): string[] {
  return (values ?? []).map((v, i) => {
    const tag = normalizeTag(v);
    if (!tag) throw new ApiError(400, 'api_invalid_request', `${field} has a tag chatdesk cannot store`, { [`${field}.${i}`]: 'letters, digits, - and _' });
    return tag;
  });
}

const keyParams = z.strictObject({ key: z.string().max(64).describe('The ticket key (T-1001) or id.') });

function parsePerson(value: string, field: string, opts: { api?: boolean } = {}): UserRef {
  const parsed = parseUserKey(value);
  if (parsed) return parsed;
  const i = value.indexOf(':');
  if (opts.api && value.slice(0, i) === 'api' && i > 0 && value.length > i + 1) return { platform: 'api', id: value.slice(i + 1) };
  const platforms = opts.api ? ACTOR_PLATFORMS : ACTOR_PLATFORMS.filter((p) => p !== 'api');
  throw new ApiError(400, 'api_invalid_request', `${field} is not a person chatdesk knows`, {
    [field]: `expected platform:id with platform one of ${platforms.join(', ')}`,
  });
}

export interface TicketRoutesDeps {
  desk: HelpDesk;
  intake: IntakePipeline;
  search: TicketSearch;
  now: () => Date;
}

/** /api/v1/tickets: open (through the durable intake, like a chat command), list, read, act. */
export function ticketRoutes(deps: TicketRoutesDeps): FastifyPluginAsyncZod {
  const { desk } = deps;
  const view = (t: Parameters<typeof toTicketView>[0]) => toTicketView(t, deps.now(), desk.sla);
  const roles = (p: Principal) => tokenRoles(p, desk.desk, desk.access);
  return async (app) => {
    app.post(
      '/tickets',
      {
        config: { scope: 'tickets:write' },
        schema: {
          summary: 'Open a ticket',
          description:
            'The same validation, classification, routing, SLA and agent card as a chat command. With an Idempotency-Key header, a retry of the same request answers the ticket it opened (200) instead of opening another.',
          tags: ['tickets'],
          headers: z.object({
            'idempotency-key': z
              .string()
              .min(1)
              .max(200)
              .regex(/^[\x21-\x7e]+$/, 'printable ASCII, no spaces')
              .optional(),
          }),
          body: createBody,
          response: {
            201: ticketViewSchema.describe('Opened.'),
            200: ticketViewSchema.describe('Opened earlier by a request with this Idempotency-Key.'),
            202: z
              .object({ status: z.literal('accepted'), message: z.string() })
              .describe('Stored, still being worked on: retry with the same Idempotency-Key to get the ticket.'),
            ...errorResponses(400, 401, 403, 409, 413, 415, 429, 503),
          },
        },
      },
      async (req, reply) => {
        const principal = req.principal!;
        const client = apiActor(principal);
        const requester = req.body.requester ? parsePerson(req.body.requester, 'requester') : client;
        const draft = { title: req.body.title, description: req.body.description ?? '', type: req.body.type, fields: req.body.fields ?? {} };
        const checked = desk.validate(draft);
        if (!checked.ok) throw new ApiError(400, 'chatdesk_ticket_invalid', 'the ticket is not valid', checked.errors);
        const key = req.headers['idempotency-key'];
        const id = `api:${principal.tokenId}:${key ?? randomUUID()}`;
        if (key) {
          const earlier = await deps.search.findByIntakeId(id);
          if (earlier) return reply.code(200).header('idempotent-replayed', 'true').send(view(earlier));
        }
        const event: IntakeEvent = {
          id,
          platform: 'api',
          user: requester,
          locale: desk.desk.locale,
          request: { kind: 'submit', draft, ...(sameUser(requester, client) ? {} : { by: client }) },
          reply: {},
        };
        const { result, outcome } = await deps.intake.submitAndWait(event, CREATE_WAIT_MS);
        if (result === 'duplicate') {
          const earlier = await deps.search.findByIntakeId(id);
          if (earlier) return reply.code(200).header('idempotent-replayed', 'true').send(view(earlier));
          throw new ApiError(409, 'api_idempotency_in_progress', 'a request with this Idempotency-Key is still being worked on: retry shortly', undefined, {
            'retry-after': '1',
          });
        }
        if (outcome?.status === 'created' && outcome.ticket) return reply.code(201).send(view(await desk.findTicket(outcome.ticket.id)));
        if (outcome?.status === 'refused')
          throw new ApiError(400, 'chatdesk_ticket_invalid', outcome.message?.text ?? 'the ticket is not valid', outcome.errors);
        if (outcome?.status === 'failed') throw new Error(`opening the ticket failed: ${outcome.message?.text ?? ''}`);
        return reply.code(202).send({
          status: 'accepted',
          message: key
            ? 'stored; retry with the same Idempotency-Key to get the ticket'
            : 'stored; the ticket will be opened (send an Idempotency-Key to be able to ask for it)',
        });
      },
    );

    app.get(
      '/tickets',
      {
        config: { scope: 'tickets:read' },
        schema: {
          summary: 'List and filter tickets',
          description:
            'Every filter is optional and all must hold; only tickets the token may view are listed. Pages follow nextCursor (keyset pagination: stable while tickets are added). A page reads a bounded part of the history: it may hold fewer than `limit` tickets (even none) and still have a nextCursor; nextCursor null is the end.',
          tags: ['tickets'],
          querystring: listQuery,
          response: { 200: z.object({ tickets: z.array(ticketViewSchema), nextCursor: z.string().nullable() }), ...errorResponses(400, 401, 403, 429) },
        },
      },
      async (req) => {
        const q = req.query;
        const actor = apiActor(req.principal!);
        const acting = await roles(req.principal!);
        const now = deps.now();
        const words = (q.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10);
        const sla = q.sla ? new Set(q.sla) : undefined;
        // Only open tickets can be ok, warning, breached or paused: the store reads the backlog, not the history.
        const status = q.status ?? (sla && [...sla].every((s) => OPEN_SLA_STATES.has(s)) ? [...OPEN_STATUSES] : undefined);
        const where = (t: Ticket) =>
          decide({ actor, roles: acting, action: 'view', ticket: t }).allowed &&
          (!sla || sla.has(slaState(t, now, desk.sla) ?? ('none' as never))) &&
          (words.length === 0 || hasWords(t, words));
        const digest = filtersDigest(q as Record<string, unknown>);
        const assignee = q.assignee === undefined ? undefined : q.assignee === 'none' ? null : parsePerson(q.assignee, 'assignee', { api: true });
        const date = (s?: string) => (s ? new Date(s) : undefined);
        const page = await deps.search.search({
          ...(status ? { status } : {}),
          ...(q.priority ? { priority: q.priority } : {}),
          ...(q.team ? { team: q.team } : {}),
          ...(q.category ? { category: q.category } : {}),
          ...(q.tag ? { tag: q.tag } : {}),
          ...(assignee !== undefined ? { assignee } : {}),
          ...(q.requester ? { requester: parsePerson(q.requester, 'requester', { api: true }) } : {}),
          createdAfter: date(q.createdAfter),
          createdBefore: date(q.createdBefore),
          updatedAfter: date(q.updatedAfter),
          updatedBefore: date(q.updatedBefore),
          sort: q.sort,
          limit: q.limit,
          ...(q.cursor ? { after: decodeCursor(q.cursor, q.sort, digest) } : {}),
          firstNumber: desk.desk.firstTicketNumber,
          where,
        });
        return { tickets: page.tickets.map(view), nextCursor: page.next ? encodeCursor(q.sort, page.next.at, page.next.number, digest) : null };
      },
    );

    app.get(
      '/tickets/:key',
      {
        config: { scope: 'tickets:read' },
        schema: {
          summary: 'One ticket with its history',
          description:
            "The whole history, internal notes included, for a token with notes:read (or admin) acting as an agent of the ticket's team; otherwise the public history the requester sees.",
          tags: ['tickets'],
          params: keyParams,
          response: { 200: z.object({ ticket: ticketViewSchema, history: z.array(historyEntryView) }), ...errorResponses(400, 401, 403, 404, 429) },
        },
      },
      async (req) => {
        const p = req.principal!;
        const actor = apiActor(p);
        const acting = await roles(p);
        const ticket = await desk.findTicket(req.params.key);
        await desk.access.check(actor, 'view', ticket, { roles: acting });
        const notes = hasScope(p.scopes, 'notes:read') && (await desk.access.allows(actor, 'note', ticket, acting));
        return { ticket: view(ticket), history: (notes ? ticket.activity : publicHistory(ticket.activity)).map(toHistoryView) };
      },
    );

    app.post(
      '/tickets/:key/actions',
      {
        config: { scope: 'tickets:write' },
        schema: {
          summary: 'Act on a ticket',
          description:
            "What a card button or an agent command does, under the same permission rules (the token's role, see the README), attributed to the token's name (api:<name>) in the ticket's history; the cards update in place. A refusal is a 403 that changes nothing but the audit trail.",
          tags: ['tickets'],
          params: keyParams,
          body: actionBody,
          response: { 200: z.object({ ticket: ticketViewSchema }), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 503) },
        },
      },
      async (req) => {
        const actor = apiActor(req.principal!);
        const ticket = await desk.findTicket(req.params.key);
        const body = req.body;
        const assignee = body.action === 'assign' ? parsePerson(body.assignee, 'assignee') : undefined;
        const add = body.action === 'tag' ? tags(body.add, 'add') : [];
        const remove = body.action === 'tag' ? tags(body.remove, 'remove') : [];
        await desk.access.check(actor, ACTION_PERMISSION[body.action], ticket, { roles: await roles(req.principal!), ...(assignee ? { assignee } : {}) });
        if (body.action === 'note') {
          const after = await addInternalNote({ act: desk.act.bind(desk), notifier: desk.notifier, locale: desk.desk.locale }, ticket.id, body.text, actor);
          return { ticket: view(after) };
        }
        let action: TicketAction;
        switch (body.action) {
          case 'assign':
            action = { kind: 'assign', assignee: assignee! };
            break;
          case 'tag':
            action = { kind: 'tag', add, remove };
            break;
          case 'close':
            action = { kind: 'close' };
            break;
          case 'reply':
            action = { kind: 'reply', text: body.text };
            break;
          case 'resolve':
            action = { kind: 'resolve', ...(body.note ? { note: body.note } : {}) };
            break;
          case 'escalate': {
            const to = body.to ? parsePerson(body.to, 'to') : firstEscalationContact(ticket, desk.sla, actor);
            action = { kind: 'escalate', ...(body.note ? { note: body.note } : {}), ...(to ? { to } : {}) };
            break;
          }
          default:
            // The card buttons' own actions (claim, reopen, wait).
            action = ticketActionForButton(body.action, actor)!;
        }
        return { ticket: view(await desk.act(ticket.id, action, actor)) };
      },
    );
  };
}
