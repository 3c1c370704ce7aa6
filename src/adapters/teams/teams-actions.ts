import type { App } from '@microsoft/teams.apps';
import { feedbackForError } from '../../core/actor-feedback';
import { ticketCard } from '../../core/cards/ticket-card';
import { ChatdeskError } from '../../domain/errors';
import type { CardActionResult } from '../../core/help-desk';
import { ASSIGNEE_INPUT, CARD_CONTENT_TYPE, cardToAdaptive } from './adaptive-card';
import { clip } from './text';
import { actorOf, firstDelivery, type Inbound, type TeamsDeps } from './turn';
import { isCardAction } from '../../core/card-buttons';

/** Teams gives an invoke 5 s; past this the card is answered from the stored ticket while the notifications finish. */
const ANSWER_WITHIN_MS = 4000;

interface ExecuteValue {
  action?: { type?: string; verb?: string; data?: Record<string, unknown> };
}

/**
 * Card buttons (Action.Execute, invoke `adaptiveCard/action`). The invoke is
 * answered with the updated card, which Teams shows in place of the clicked
 * one (the agent channel's card is also updated in place by the core);
 * a refusal goes back as a message only the clicker sees.
 */
export function registerTeamsActions(app: App, deps: TeamsDeps): void {
  const { desk, adapter } = deps;
  const log = deps.logger.child({ component: 'teams-actions' });

  const currentCard = async (ticketId: string) => {
    const card = ticketCard(await desk.findTicket(ticketId), desk.desk).card;
    return { statusCode: 200 as const, type: CARD_CONTENT_TYPE as typeof CARD_CONTENT_TYPE, value: cardToAdaptive(card!) as never };
  };
  const tell = (text: string) => ({ statusCode: 200 as const, type: 'application/vnd.microsoft.activity.message' as const, value: clip(text, 1000) });

  app.on('card.action', async (ctx) => {
    const a = ctx.activity as unknown as Inbound;
    adapter.learn(a);
    const action = (a.value as ExecuteValue | undefined)?.action;
    const verb = action?.verb ?? '';
    const data = action?.data ?? {};
    const ticketId = typeof data.ticketId === 'string' ? data.ticketId.slice(0, 64) : '';
    const actor = actorOf(a);
    const cardTicket = ticketId.split('~', 1)[0] ?? '';
    try {
      if ((verb !== 'assign' && !isCardAction(verb)) || !ticketId) throw new ChatdeskError('chatdesk_ticket_not_found', 'card action without a known verb or ticket id', { verb: verb.slice(0, 40) });
      if (!(await firstDelivery(deps, a))) return await currentCard(cardTicket);
      let acting: Promise<CardActionResult>;
      if (verb === 'assign') {
        const picked = data[ASSIGNEE_INPUT];
        if (typeof picked !== 'string' || !picked) return await currentCard(cardTicket);
        const assignee = await adapter.member(a.conversation.id, picked.slice(0, 100), ctx.api);
        acting = desk.act(ticketId, { kind: 'assign', assignee }, actor).then((ticket) => ({ ticket }));
      } else acting = desk.cardAction(verb, ticketId, actor);
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        acting,
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), ANSWER_WITHIN_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      if (!result) {
        acting.catch((err: unknown) => log.error({ err, ticket: ticketId, verb }, 'action failed after the invoke was answered'));
        return await currentCard(cardTicket);
      }
      // A draft, an offer or a knowledge entry shows its new state; a private answer goes to the clicker; a ticket card shows the ticket.
      if (result.clicked?.card) return { statusCode: 200 as const, type: CARD_CONTENT_TYPE as typeof CARD_CONTENT_TYPE, value: cardToAdaptive(result.clicked.card) as never };
      if (result.clicked) return tell(result.clicked.text);
      if (result.reply) return tell(result.reply.text);
      return await currentCard(result.ticket.id);
    } catch (err) {
      const feedback = feedbackForError(err, desk.desk.locale, ticketId);
      if (feedback.expected) log.info({ ticket: ticketId, verb, reason: feedback.text }, 'action refused');
      else log.error({ err, ticket: ticketId, verb }, 'action failed');
      return tell(feedback.text);
    }
  });
}
