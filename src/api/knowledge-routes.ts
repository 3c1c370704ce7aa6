import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KNOWLEDGE_STATUSES, type KnowledgeEntry, MAX_ANSWER_CHARS, MAX_QUESTION_CHARS } from '../ai/knowledge/knowledge-entry';
import type { HelpDesk } from '../core/help-desk';
import { isChatdeskError } from '../domain/errors';
import { apiActor, type Principal } from './api-auth';
import { ApiError } from './api-errors';
import { errorResponses } from './api-schemas';
import { tokenRoles } from './token-roles';

const iso = z.iso.datetime({ offset: true });
const entryView = z.object({
  id: z.string(),
  ticketKey: z.string().describe('The resolved ticket it was drafted from.'),
  question: z.string(),
  answer: z.string(),
  category: z.string(),
  status: z.enum(KNOWLEDGE_STATUSES),
  locale: z.enum(['en', 'zh']),
  createdAt: iso,
  updatedAt: iso,
  uses: z.number().int().describe('Times it was suggested.'),
  deflections: z.number().int().describe('Times a requester said it solved the problem.'),
});
const toEntryView = (e: KnowledgeEntry): z.infer<typeof entryView> => ({
  ...e,
  category: e.category ?? '',
  createdAt: e.createdAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
});

const idParams = z.strictObject({ id: z.string().max(100).describe('The entry id (kb-…).') });
const one = { 200: z.object({ entry: entryView }), ...errorResponses(400, 401, 403, 404, 429) };

/**
 * /api/v1/knowledge: the entries drafted from resolved tickets. Reading needs
 * knowledge:read; changing needs knowledge:write and, as in chat, the
 * `knowledge` permission on the entry's ticket (an agent of its team).
 */
const SHOWN = { knowledge_edited: 'edited', knowledge_published: 'published', knowledge_rejected: 'rejected' } as const;

export function knowledgeRoutes(deps: { desk: HelpDesk; now: () => Date }): FastifyPluginAsyncZod {
  const { desk } = deps;
  const found = async (id: string) => {
    const entry = await desk.knowledge.get(id);
    if (!entry) throw new ApiError(404, 'api_not_found', `no knowledge entry ${id}`);
    return entry;
  };
  /** Checks the permission on the entry's ticket, changes the entry, records it on the ticket's audit trail. */
  const change = async (p: Principal, id: string, action: keyof typeof SHOWN, revise: Parameters<HelpDesk['knowledge']['revise']>[1]) => {
    const entry = await found(id);
    const actor = apiActor(p);
    const roles = await tokenRoles(p, desk.desk, desk.access);
    const ticket = await desk.findTicket(entry.ticketKey).catch((err: unknown) => {
      if (isChatdeskError(err, 'chatdesk_ticket_not_found')) return undefined;
      throw err;
    });
    if (ticket) await desk.access.check(actor, 'knowledge', ticket, { roles });
    else if (!roles.admin) throw new ApiError(403, 'chatdesk_forbidden', `the ticket of ${id} is gone: only an admin may change it`);
    const next = await desk.knowledge.revise(id, revise, deps.now());
    if (!next) throw new ApiError(404, 'api_not_found', `no knowledge entry ${id}`);
    if (ticket) {
      await desk.act(ticket.id, { kind: 'audit', entry: { action, note: id } }, actor);
      // The entry's message under the ticket's cards in chat shows the change, as an edit from chat does.
      await desk.assistant.showKnowledge(ticket, next, SHOWN[action], actor);
    }
    return { entry: toEntryView(next) };
  };

  return async (app) => {
    app.get(
      '/knowledge',
      {
        config: { scope: 'knowledge:read' },
        schema: {
          summary: 'List knowledge entries',
          description: 'Last changed first. `q`: entries whose question or answer contain every word (case-insensitive).',
          tags: ['knowledge'],
          querystring: z.strictObject({
            status: z.enum(KNOWLEDGE_STATUSES).optional(),
            q: z.string().max(200).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: z.object({ entries: z.array(entryView) }), ...errorResponses(400, 401, 403, 429) },
        },
      },
      async (req) => {
        const words = (req.query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10);
        return { entries: (await desk.knowledge.list(req.query.status, words, req.query.limit)).map(toEntryView) };
      },
    );
    app.get(
      '/knowledge/:id',
      { config: { scope: 'knowledge:read' }, schema: { summary: 'One knowledge entry', tags: ['knowledge'], params: idParams, response: one } },
      async (req) => ({ entry: toEntryView(await found(req.params.id)) }),
    );
    app.patch(
      '/knowledge/:id',
      {
        config: { scope: 'knowledge:write' },
        schema: {
          summary: 'Edit a knowledge entry',
          description: 'The text is cleaned like any published text (personal details and mass mentions removed). The status stays as it was.',
          tags: ['knowledge'],
          params: idParams,
          body: z
            .strictObject({
              question: z.string().min(1).max(MAX_QUESTION_CHARS).optional(),
              answer: z.string().min(1).max(MAX_ANSWER_CHARS).optional(),
              category: z
                .string()
                .regex(/^[\p{L}\p{N}_ -]{1,60}$/u, 'letters, digits, space, - and _; at most 60')
                .optional(),
            })
            .refine((b) => Object.keys(b).length > 0, 'change at least one of question, answer, category'),
          response: { ...one, ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
        },
      },
      async (req) => change(req.principal!, req.params.id, 'knowledge_edited', req.body),
    );
    app.post(
      '/knowledge/:id/publish',
      {
        config: { scope: 'knowledge:write' },
        schema: { summary: 'Publish a knowledge entry (it is suggested to requesters)', tags: ['knowledge'], params: idParams, response: one },
      },
      async (req) => change(req.principal!, req.params.id, 'knowledge_published', { status: 'published' }),
    );
    app.post(
      '/knowledge/:id/reject',
      {
        config: { scope: 'knowledge:write' },
        schema: { summary: 'Reject a knowledge entry (never suggested again)', tags: ['knowledge'], params: idParams, response: one },
      },
      async (req) => change(req.principal!, req.params.id, 'knowledge_rejected', { status: 'rejected' }),
    );
  };
}
