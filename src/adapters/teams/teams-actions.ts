import type { App } from '@microsoft/teams.apps';
import { feedbackForError } from '../../core/actor-feedback';
import { ticketCard } from '../../core/cards/ticket-card';
import { ChatdeskError } from '../../domain/errors';
import { intakeRefusal } from '../../core/intake/refusal';
import { ASSIGNEE_INPUT, CARD_CONTENT_TYPE, cardToAdaptive } from './adaptive-card';
import { clip } from './text';
import { t } from '../../core/i18n';
import { type Inbound, localeOf, type TeamsDeps, teamsEvent } from './turn';
import { isCardAction } from '../../core/card-buttons';
import type { WaitedSubmit } from '../../core/intake/intake-pipeline';

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
    const cardTicket = ticketId.split('~', 1)[0] ?? '';
    const locale = localeOf(a, '', desk.desk.locale);
    try {
      if ((verb !== 'assign' && !isCardAction(verb)) || !ticketId)
        throw new ChatdeskError('chatdesk_ticket_not_found', 'card action without a known verb or ticket id', { verb: verb.slice(0, 40) });
      const picked = data[ASSIGNEE_INPUT];
      if (verb === 'assign' && (typeof picked !== 'string' || !picked)) return await currentCard(cardTicket);
      const request =
        verb === 'assign'
          ? { kind: 'button' as const, action: 'assign', ticketId, assignee: { platform: 'teams' as const, id: String(picked).slice(0, 100) } }
          : { kind: 'button' as const, action: verb, ticketId };
      let answer: WaitedSubmit;
      try {
        answer = await deps.intake.submitAndWait(teamsEvent(a, locale, request), ANSWER_WITHIN_MS);
      } catch (err) {
        return tell(intakeRefusal(err, locale).text);
      }
      const outcome = answer.outcome;
      // Not ready in time, or a redelivery: the card as it is now (the core updates it in place when the work is done).
      if (!outcome) return cardTicket === 'msg' ? tell(t(locale, 'intake.received')) : await currentCard(cardTicket);
      // A draft, an offer or a knowledge entry shows its new state; a private answer goes to the clicker; a ticket card shows the ticket.
      if (outcome.clicked?.card)
        return { statusCode: 200 as const, type: CARD_CONTENT_TYPE as typeof CARD_CONTENT_TYPE, value: cardToAdaptive(outcome.clicked.card) as never };
      if (outcome.clicked) return tell(outcome.clicked.text);
      if (outcome.message) return tell(outcome.message.text);
      return await currentCard(cardTicket);
    } catch (err) {
      const feedback = feedbackForError(err, desk.desk.locale, ticketId);
      if (feedback.expected) log.info({ ticket: ticketId, verb, reason: feedback.text }, 'action refused');
      else log.error({ err, ticket: ticketId, verb }, 'action failed');
      return tell(feedback.text);
    }
  });
}
