import { ticketCard } from '../../core/cards/ticket-card';
import { ticketForm } from '../../core/forms/ticket-form';
import { type Locale, t } from '../../core/i18n';
import type { IntakeRequest } from '../../core/intake/intake-event';
import { intakeRefusal } from '../../core/intake/refusal';
import type { FeishuReplyRoute } from './feishu-replier';
import { type CallbackValue, type LarkCard, toLarkCard } from './card-json';
import type { FeishuDeps } from './feishu-commands';
import { doneCard, FORM_SUBMIT_ACTION, FORM_TYPE_ACTION, formToCard, formValueToDraft, textFormSubmitted } from './form-card';
import { clipToast, submitTextForm } from './feishu-text-form';
import { isTicketTextForm, ticketTextSent } from '../../core/forms/ticket-text-forms';
import { isCardAction } from '../../core/card-buttons';
import type { WaitedSubmit } from '../../core/intake/intake-pipeline';

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

/** Feishu drops a callback answer after 3 s: answer by then; a later outcome reaches the clicker through the replier. */
export const ANSWER_WITHIN_MS = 2500;

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

export class FeishuCardActions {
  constructor(
    private readonly deps: FeishuDeps,
    private readonly answerWithinMs = ANSWER_WITHIN_MS,
  ) {}

  async handle(event: CardActionEvent): Promise<CardActionResponse> {
    const value = (event.action?.value ?? {}) as CallbackValue;
    const openId = event.operator?.open_id;
    if (!openId || typeof value.action !== 'string') return {};
    if (value.action === FORM_TYPE_ACTION) return this.switchType(value, event.action?.option);
    if (value.action === FORM_SUBMIT_ACTION) return this.submit(event, value, openId);
    const textForm = textFormSubmitted(value.action);
    if (textForm) {
      const messageId = event.context?.open_message_id;
      const submission = { eventId: this.eventId(event, openId), openId, value, formValue: event.action?.form_value ?? {} };
      return submitTextForm(
        this.deps,
        textForm,
        { ...submission, locale: locale(value.locale, this.deps.desk.desk.locale), ...(messageId ? { messageId } : {}) },
        this.answerWithinMs,
      );
    }
    const verb = value.action;
    const ticketId = typeof value.ticketId === 'string' ? value.ticketId.slice(0, 64) : '';
    if (isCardAction(verb)) return this.act(event, openId, verb, { kind: 'button', action: verb, ticketId });
    if (verb === 'assign') {
      const picked = event.action?.option;
      if (!picked) return {};
      return this.act(event, openId, verb, { kind: 'button', action: 'assign', ticketId, assignee: { platform: 'feishu', id: picked.slice(0, 100) } });
    }
    return {};
  }

  private switchType(value: CallbackValue, typeId: string | undefined): CardActionResponse {
    const loc = locale(value.locale, this.deps.desk.desk.locale);
    const title = typeof value.title === 'string' ? value.title : undefined;
    const form = ticketForm(this.deps.desk.desk, loc, { typeId, title });
    return { card: raw(formToCard(form, { locale: loc }, { title })) };
  }

  /** The callback's delivery id (a redelivery is the same request). */
  private eventId(event: CardActionEvent, openId: string): string {
    return `feishu:${event.event_id ?? event.token ?? `${openId}:${event.context?.open_message_id ?? ''}:${Date.now()}`}`;
  }

  private async submit(event: CardActionEvent, value: CallbackValue, openId: string): Promise<CardActionResponse> {
    const { desk } = this.deps;
    const loc = locale(value.locale, desk.desk.locale);
    const form = ticketForm(desk.desk, loc, { typeId: typeof value.typeId === 'string' ? value.typeId : undefined });
    const { draft, values } = formValueToDraft(form, event.action?.form_value ?? {});
    const validation = desk.validate(draft);
    if (!validation.ok) return { card: raw(formToCard(form, { locale: loc, values, errors: validation.errors })) };
    const messageId = event.context?.open_message_id;
    const reply: FeishuReplyRoute = { via: 'form', openId, title: form.title, ...(messageId ? { messageId } : {}) };
    let answer: WaitedSubmit;
    try {
      answer = await this.deps.intake.submitAndWait(
        {
          id: this.eventId(event, openId),
          platform: 'feishu',
          user: { platform: 'feishu', id: openId },
          locale: loc,
          request: { kind: 'submit', draft },
          reply,
        },
        this.answerWithinMs,
      );
    } catch (err) {
      // Not stored: the form stays as typed, with the reason.
      return { toast: { type: 'error', content: clipToast(intakeRefusal(err, loc).text) } };
    }
    const outcome = answer.outcome;
    if (answer.result === 'duplicate') return {};
    // Not done within the callback's 3 s: the card is patched with the outcome when it is.
    if (!outcome) return { toast: { type: 'info', content: `${form.submitLabel}…` } };
    if (outcome.errors) return { card: raw(formToCard(form, { locale: loc, values, errors: outcome.errors })) };
    const text = outcome.message?.text ?? '';
    if (outcome.status !== 'created') return { toast: { type: 'error', content: clipToast(text) } };
    return { toast: { type: 'success', content: clipToast(text) }, card: raw(doneCard(form.title, text)) };
  }

  private async act(event: CardActionEvent, openId: string, verb: string, request: IntakeRequest): Promise<CardActionResponse> {
    const { desk } = this.deps;
    const loc = desk.desk.locale;
    const reply: FeishuReplyRoute = { via: 'dm', openId };
    let answer: WaitedSubmit;
    try {
      answer = await this.deps.intake.submitAndWait(
        { id: this.eventId(event, openId), platform: 'feishu', user: { platform: 'feishu', id: openId }, locale: loc, request, reply },
        this.answerWithinMs,
      );
    } catch (err) {
      return { toast: { type: 'error', content: clipToast(intakeRefusal(err, loc).text) } };
    }
    if (answer.result === 'duplicate') return {};
    const outcome = answer.outcome;
    if (!outcome) {
      // The core updates the card in place when it is done; a late refusal or answer reaches the clicker by DM.
      const label = `${PENDING_LABEL[verb] ? t(loc, PENDING_LABEL[verb]) : ''}…`;
      return { toast: { type: 'info', content: label } };
    }
    if (outcome.status === 'refused' || outcome.status === 'failed')
      return { toast: { type: outcome.status === 'refused' ? 'warning' : 'error', content: clipToast(outcome.message?.text ?? '') } };
    // Note or "Add a comment", allowed: the form goes to the clicker's chat with the bot (the clicked card may be everyone's).
    if (outcome.form) {
      const { form } = outcome;
      await this.deps.adapter.send({ openId }, formToCard(form, { locale: loc }));
      return { toast: { type: 'info', content: clipToast(ticketTextSent(isTicketTextForm(form.id) ? form.id : 'note', loc, form.ticket?.key ?? '')) } };
    }
    // A draft, an offer or a knowledge entry shows its new state; otherwise the clicked card is the ticket card.
    if (outcome.clicked)
      return { toast: { type: 'success', content: clipToast(outcome.message?.text ?? outcome.clicked.text) }, card: raw(toLarkCard(outcome.clicked)) };
    if (outcome.message) return { toast: { type: 'info', content: clipToast(outcome.message.text) } };
    if (request.kind !== 'button' || !request.ticketId) return {};
    const message = ticketCard(await desk.findTicket(request.ticketId), desk.desk);
    return { toast: { type: 'success', content: message.text }, card: raw(toLarkCard(message)) };
  }
}
