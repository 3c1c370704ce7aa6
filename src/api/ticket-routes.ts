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
import { ACTOR_PLATFORMS, parseUserKey, sameUser, TICKET_STATUSES, type UserRef } from '../domain/ticket/ticket';
import type { TicketAction } from '../domain/ticket/transitions';
import { DESCRIPTION_MAX, TITLE_MAX } from '../domain/ticket/ticket-draft';
import { apiActor } from './api-auth';
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
]);

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
          description: 'Every filter is optional and all must hold. Pages follow nextCursor (keyset pagination: stable while tickets are added).',
          tags: ['tickets'],
          querystring: listQuery,
          response: { 200: z.object({ tickets: z.array(ticketViewSchema), nextCursor: z.string().nullable() }), ...errorResponses(400, 401, 403, 429) },
        },
      },
      async (req) => {
        const q = req.query;
        const digest = filtersDigest(q as Record<string, unknown>);
        const assignee = q.assignee === undefined ? undefined : q.assignee === 'none' ? null : parsePerson(q.assignee, 'assignee', { api: true });
        const date = (s?: string) => (s ? new Date(s) : undefined);
        const page = await deps.search.search({
          ...(q.status ? { status: q.status } : {}),
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
        });
        const last = page.tickets.at(-1);
        const field = q.sort.replace('-', '') as 'createdAt' | 'updatedAt';
        return { tickets: page.tickets.map(view), nextCursor: page.more && last ? encodeCursor(q.sort, last[field], last.number, digest) : null };
      },
    );

    app.get(
      '/tickets/:key',
      {
        config: { scope: 'tickets:read' },
        schema: {
          summary: 'One ticket with its history',
          tags: ['tickets'],
          params: keyParams,
          response: { 200: z.object({ ticket: ticketViewSchema, history: z.array(historyEntryView) }), ...errorResponses(400, 401, 403, 404, 429) },
        },
      },
      async (req) => {
        const ticket = await desk.findTicket(req.params.key);
        return { ticket: view(ticket), history: ticket.activity.map(toHistoryView) };
      },
    );

    app.post(
      '/tickets/:key/actions',
      {
        config: { scope: 'tickets:write' },
        schema: {
          summary: 'Act on a ticket',
          description:
            "What a card button or an agent command does, attributed to the token's name (api:<name>) in the ticket's history; the cards update in place.",
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
        let action: TicketAction;
        switch (body.action) {
          case 'assign':
            action = { kind: 'assign', assignee: parsePerson(body.assignee, 'assignee') };
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
