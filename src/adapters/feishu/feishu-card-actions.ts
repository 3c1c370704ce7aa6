import { feedbackForError } from '../../core/actor-feedback';
import { ticketCard } from '../../core/cards/ticket-card';
import { ticketForm } from '../../core/forms/ticket-form';
import { type Locale, t } from '../../core/i18n';
import { ChatdeskError } from '../../domain/errors';
import type { UserRef } from '../../domain/ticket/ticket';
import type { Logger } from '../../logger';
import type { Background } from './background';
import { type CallbackValue, type LarkCard, toLarkCard } from './card-json';
import type { FeishuDeps } from './feishu-commands';
import { doneCard, FORM_SUBMIT_ACTION, FORM_TYPE_ACTION, formToCard, formValueToDraft } from './form-card';
import { isCardAction } from '../../core/card-buttons';
import type { CardActionResult } from '../../core/help-desk';

/** card.action.trigger as the SDK hands it over (header and event merged). */
export interface CardActionEvent {
  event_id?: string;
  token?: string;
  operator?: { open_id?: string };
  action?: { tag?: string; value?: unknown; option?: string; form_value?: Record<string, unknown> };
  context?: { open_message_id?: string; open_chat_id?: string };
}

/** The callback's answer: a toast only the clicker sees and/or the card that replaces the clicked one. */
export interface CardActionResponse {
  toast?: { type: 'success' | 'error' | 'info' | 'warning'; content: string };
  card?: { type: 'raw'; data: LarkCard };
}

/** Feishu drops a callback answer after 3 s: answer by then, and let the rest finish behind. */
export const ANSWER_WITHIN_MS = 2500;

type Raced<T> = { done: true; value: T } | { done: false; later: Promise<T> };

async function race<T>(work: Promise<T>, ms: number): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    const first = await Promise.race([work.then((value) => ({ value })), timeout]);
    return first === 'late' ? { done: false, later: work } : { done: true, value: first.value };
  } finally {
    clearTimeout(timer);
  }
}

const raw = (data: LarkCard) => ({ type: 'raw' as const, data });
const locale = (v: unknown, fallback: Locale): Locale => (v === 'zh' || v === 'en' ? v : fallback);

/** Card buttons, the people picker, and the form card (type switch, submit). */
/** The toast while a slow action finishes. */
const PENDING_LABEL: Partial<Record<string, Parameters<typeof t>[1]>> = {
  claim: 'action.claim',
  resolve: 'action.resolve',
  escalate: 'action.escalate',
  reopen: 'action.reopen',
  wait: 'action.wait',
  assign: 'action.assign',
  acknowledge: 'action.acknowledge',
};

/** Feishu toasts are short notices. */
function clipToast(text: string): string {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

export class FeishuCardActions {
  private readonly log: Logger;

  constructor(
    private readonly deps: FeishuDeps,
    private readonly background: Background,
    private readonly answerWithinMs = ANSWER_WITHIN_MS,
  ) {
    this.log = deps.logger.child({ component: 'feishu-card-actions' });
  }

  async handle(event: CardActionEvent): Promise<CardActionResponse> {
    const value = (event.action?.value ?? {}) as CallbackValue;
    const openId = event.operator?.open_id;
    if (!openId || typeof value.action !== 'string') return {};
    if (value.action === FORM_TYPE_ACTION) return this.switchType(value, event.action?.option);
    if (value.action === FORM_SUBMIT_ACTION) return this.submit(event, value, openId);
    const verb = value.action;
    if (isCardAction(verb)) return this.act(event, value.ticketId, openId, verb, (actor, id) => this.deps.desk.cardAction(verb, id, actor));
    if (verb === 'assign') {
      const picked = event.action?.option;
      if (!picked) return {};
      const assignee = await this.deps.adapter.user(picked);
      return this.act(event, value.ticketId, openId, 'assign', async (actor, id) => ({ ticket: await this.deps.desk.act(id, { kind: 'assign', assignee }, actor) }));
    }
    return {};
  }

  private switchType(value: CallbackValue, typeId: string | undefined): CardActionResponse {
    const loc = locale(value.locale, this.deps.desk.desk.locale);
    const title = typeof value.title === 'string' ? value.title : undefined;
    const form = ticketForm(this.deps.desk.desk, loc, { typeId, title });
    return { card: raw(formToCard(form, { locale: loc }, { title })) };
  }

  private async submit(event: CardActionEvent, value: CallbackValue, openId: string): Promise<CardActionResponse> {
    const { desk, adapter } = this.deps;
    const loc = locale(value.locale, desk.desk.locale);
    const form = ticketForm(desk.desk, loc, { typeId: typeof value.typeId === 'string' ? value.typeId : undefined });
    const { draft, values } = formValueToDraft(form, event.action?.form_value ?? {});
    const validation = desk.validate(draft);
    if (!validation.ok) return { card: raw(formToCard(form, { locale: loc, values, errors: validation.errors })) };
    if (!(await this.first(event))) return {};

    const failed = t(loc, 'command.failed', { text: String(draft.title) });
    const work = (async () => {
      const requester = await adapter.user(openId);
      const result = await desk.openTicket(draft, requester);
      if (!result.ok) throw new ChatdeskError('chatdesk_ticket_invalid', 'draft refused', { errors: result.errors });
      return doneCard(form.title, t(loc, 'command.created', { key: result.ticket.key }));
    })();
    const outcome = await race(work.then((card) => ({ card })).catch((err: unknown) => ({ err })), this.answerWithinMs);
    if (outcome.done) {
      if ('card' in outcome.value) return { toast: { type: 'success', content: outcome.value.card.config?.summary?.content ?? '' }, card: raw(outcome.value.card) };
      this.log.error({ err: outcome.value.err, user: openId }, 'opening a ticket failed');
      return { toast: { type: 'error', content: failed } };
    }
    const messageId = event.context?.open_message_id;
    this.background.run('finishing a late form submit', async () => {
      const late = await outcome.later;
      const card = 'card' in late ? late.card : doneCard(form.title, failed);
      if (messageId) await adapter.patch(messageId, card);
      else await adapter.send({ openId }, card);
    });
    return { toast: { type: 'info', content: `${form.submitLabel}…` } };
  }

  private async act(
    event: CardActionEvent,
    ticketId: string | undefined,
    openId: string,
    verb: string,
    run: (actor: UserRef, ticketId: string) => Promise<CardActionResult>,
  ): Promise<CardActionResponse> {
    const { desk, adapter } = this.deps;
    if (!(await this.first(event))) return {};
    const work = (async () => {
      const actor = await adapter.user(openId);
      if (!ticketId) throw new ChatdeskError('chatdesk_ticket_not_found', 'action without a ticket id');
      return run(actor, ticketId);
    })();
    const settled = work.then((result) => ({ result })).catch((err: unknown) => ({ err }));
    const outcome = await race(settled, this.answerWithinMs);
    if (!outcome.done) {
      // The core updates the card in place when it is done; a late refusal reaches the clicker by DM.
      this.background.run('finishing a late card action', async () => {
        const late = await outcome.later;
        if ('err' in late) await adapter.sendDirect({ platform: 'feishu', id: openId }, { text: this.feedback(late.err, ticketId, verb).text });
        else if (late.result.reply) await adapter.sendDirect({ platform: 'feishu', id: openId }, late.result.reply);
      });
      const label = `${PENDING_LABEL[verb] ? t(desk.desk.locale, PENDING_LABEL[verb]) : ''}…`;
      return { toast: { type: 'info', content: label } };
    }
    if ('err' in outcome.value) {
      const feedback = this.feedback(outcome.value.err, ticketId, verb);
      return { toast: { type: feedback.expected ? 'warning' : 'error', content: feedback.text } };
    }
    const { result } = outcome.value;
    // A draft, an offer or a knowledge entry shows its new state; otherwise the clicked card is the ticket card.
    if (result.clicked) return { toast: { type: 'success', content: clipToast(result.reply?.text ?? result.clicked.text) }, card: raw(toLarkCard(result.clicked)) };
    if (result.reply) return { toast: { type: 'info', content: clipToast(result.reply.text) } };
    const message = ticketCard(result.ticket, desk.desk);
    return { toast: { type: 'success', content: message.text }, card: raw(toLarkCard(message)) };
  }

  private feedback(err: unknown, ticketId: string | undefined, verb: string) {
    const feedback = feedbackForError(err, this.deps.desk.desk.locale, ticketId ?? '');
    if (feedback.expected) this.log.info({ ticket: ticketId, action: verb, reason: feedback.text }, 'action refused');
    else this.log.error({ err, ticket: ticketId, action: verb }, 'action failed');
    return feedback;
  }

  private async first(event: CardActionEvent): Promise<boolean> {
    const key = event.event_id ?? event.token;
    if (!key) return true;
    const fresh = await this.deps.deliveries.firstDelivery(`feishu:${key}`);
    if (!fresh) this.log.info({ key }, 'duplicate Feishu card callback ignored');
    return fresh;
  }
}
