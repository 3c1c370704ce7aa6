/**
 * Contract driver for the local web playground, through the HTTP API its page
 * uses. The playground has no signed inbound (bound to 127.0.0.1, identities
 * chosen freely by design), so it has no `forged`; its DMs cannot fail and it
 * has no rate limit, so `blockDirectMessages` is absent and a throttled post
 * cannot be provoked.
 */
import { randomUUID } from 'node:crypto';
import type { PlaygroundMessage } from '../../../src/adapters/playground/playground-hub';
import type { Chatdesk } from '../../../src/app';
import { cardToText, isLinkAction } from '../../../src/core/cards/card';
import type { UserRef } from '../../../src/domain/ticket/ticket';
import { governedDesk } from '../../support/desk-file';
import { startTestApp } from '../../support/test-app';
import type { ContractDriver } from '../contract-driver';
import { type CardButton, type SeenCard, TEXT_FORM_FIELD, type TextForm } from '../contract-driver';

/** Where the page sends each one-text-area form. */
const FORM_PATHS: Record<TextForm, string> = { note: 'notes', csat_comment: 'csat-comments' };

const BUTTONS: readonly string[] = ['claim', 'resolve', 'escalate', 'reopen', 'wait', 'note', 'close'] satisfies CardButton[];

interface Reply {
  status: number;
  json: Record<string, unknown>;
}

export function playgroundDriver(): ContractDriver {
  let app: Chatdesk;
  /** What the API answered to one person only (the page shows it in that person's pane), oldest first. */
  const replies: Array<{ user: string; text: string }> = [];
  const user = (id: string, name: string): UserRef => ({ platform: 'playground', id, name });
  const as = (u: UserRef) => ({ user: u.id, name: u.name });

  const post = async (path: string, body: unknown): Promise<Reply> => {
    const res = await fetch(`${app.url}/api/playground/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const conversation = async (u: UserRef, id: string): Promise<PlaygroundMessage[]> => {
    const res = await fetch(`${app.url}/api/playground/conversations?user=${encodeURIComponent(u.id)}`);
    const json = (await res.json()) as { conversations: Array<{ id: string; messages: PlaygroundMessage[] }> };
    return json.conversations.find((c) => c.id === id)?.messages ?? [];
  };
  const noteReply = (u: UserRef, r: Reply) => {
    const text = r.json.error ?? r.json.reply;
    if (typeof text === 'string') replies.push({ user: u.id, text });
  };
  /** The forms the API answered Note and "Add a comment" presses with (the page shows each in the card), by who pressed on which ticket. */
  const forms: Array<{ user: string; ticketId: string; form: string }> = [];
  const act = async (u: UserRef, body: Record<string, unknown>) => {
    const r = await post('actions', { ...as(u), ...body });
    if (r.status >= 500 || r.status === 400) throw new Error(`playground action answered ${r.status}: ${JSON.stringify(r.json)}`);
    const form = r.json.form as { id?: string; ticket?: { id: string } } | undefined;
    if (form?.id && form.ticket) forms.push({ user: u.id, ticketId: form.ticket.id, form: form.id });
    noteReply(u, r);
  };
  const command = async (u: UserRef, text: string, requestId?: string) => {
    const r = await post('command', { ...as(u), text, ...(requestId ? { requestId } : {}) });
    // 409: refused (not permitted …), told to this person only, like any reply.
    if (![200, 201, 202, 409].includes(r.status)) throw new Error(`playground command answered ${r.status}: ${JSON.stringify(r.json)}`);
    noteReply(u, r);
  };

  return {
    platform: 'playground',
    requester: user('alice', 'Alice'),
    agent: user('bob', 'Bob'),
    otherAgent: user('carol', 'Carol'),
    lead: user('dave', 'Dave'),
    stranger: user('eve', 'Eve'),

    async start() {
      app = await startTestApp(
        { CHATDESK_PLAYGROUND: 'true', CHATDESK_CONFIG: governedDesk({ agents: [user('bob', 'Bob'), user('carol', 'Carol')], lead: user('dave', 'Dave') }) },
        { label: 'contract_playground' },
      );
      return app;
    },
    async stop() {
      await app?.stop();
    },

    command: (u, text) => command(u, text, randomUUID()),

    async submitForm(u, values) {
      const r = await post('tickets', {
        ...as(u),
        requestId: randomUUID(),
        values: { type: values.type, title: values.title, ...(values.description ? { description: values.description } : {}), ...values.fields },
      });
      if (r.status === 422) return r.json.errors as Record<string, string>;
      if (r.status !== 201) throw new Error(`playground form answered ${r.status}: ${JSON.stringify(r.json)}`);
      return {};
    },

    click: (u, ticket, button) => act(u, { action: button, ticketId: ticket.id }),
    textForms: async (u, ticket, form) => forms.filter((f) => f.user === u.id && f.ticketId === ticket.id && f.form === form).length,
    async submitTextForm(u, ticket, form, text) {
      // What the page sends from the form (and what anyone could send without one).
      const r = await post(FORM_PATHS[form], { ...as(u), ticketId: ticket.id, text, requestId: randomUUID() });
      if (![200, 202, 409, 422].includes(r.status)) throw new Error(`playground ${form} answered ${r.status}: ${JSON.stringify(r.json)}`);
      if (r.status === 422) return String((r.json.errors as Record<string, string>)[TEXT_FORM_FIELD[form]]);
      noteReply(u, r);
      return undefined;
    },
    assign: (u, ticket, assignee) => act(u, { action: 'assign', ticketId: ticket.id, assignee: as(assignee) }),

    async replyInThread(u, ticket, text) {
      // What the page sends when the person writes under their ticket's confirmation in the DM pane.
      const threadId = ticket.requesterThread?.platform === 'playground' ? (ticket.requesterThread.threadId ?? ticket.requesterThread.messageId) : undefined;
      if (!threadId) throw new Error(`${ticket.key} has no playground DM thread`);
      const r = await post('messages', { ...as(u), text, threadId, requestId: randomUUID() });
      if (r.status !== 200) throw new Error(`playground message answered ${r.status}: ${JSON.stringify(r.json)}`);
      noteReply(u, r);
    },

    async directMessage(u, text) {
      const r = await post('messages', { ...as(u), text, requestId: randomUUID() });
      if (r.status !== 200) throw new Error(`playground message answered ${r.status}: ${JSON.stringify(r.json)}`);
      noteReply(u, r);
    },

    async cards(ticket) {
      const messages = await conversation(user('bob', 'Bob'), 'agents'); // the agent channel, as an agent sees it
      return messages
        .filter((m) => !m.threadId && m.card && m.text.includes(ticket.key))
        .map(
          (m): SeenCard => ({
            messageId: m.id,
            text: cardToText(m.card!),
            actions: [
              ...m.card!.actions.map((a) => a.id).filter((id): id is CardButton => BUTTONS.includes(id)),
              ...(m.card!.userPicker ? (['assign'] as const) : []),
            ],
          }),
        );
    },

    async cardThread(ticket) {
      const card = ticket.agentCards[0]?.messageId;
      return (await conversation(user('bob', 'Bob'), 'agents')).filter((m) => m.threadId === card).map((m) => m.text);
    },

    async privateTexts(u) {
      const dm = (await conversation(u, `dm:${u.id}`)).map((m) => m.text);
      return [...dm, ...replies.filter((r) => r.user === u.id).map((r) => r.text)];
    },

    async privateCards(u) {
      return (await conversation(u, `dm:${u.id}`))
        .filter((m) => m.card)
        .map((m) => ({
          messageId: m.id,
          text: cardToText(m.card!),
          actions: m.card!.actions.filter((a) => !isLinkAction(a)).map((a) => a.id),
          links: m.card!.actions.filter(isLinkAction).map((a) => ({ label: a.label, url: a.url })),
        }));
    },

    async expectedCardLink(ticket) {
      const [card] = await this.cards(ticket);
      if (!card) throw new Error(`no card for ${ticket.key} in the agent channel`);
      return `/?message=${card.messageId}`; // relative: the test app has no PUBLIC_URL
    },

    async clickPrivate(u, messageId, button) {
      const message = (await conversation(u, `dm:${u.id}`)).find((m) => m.id === messageId);
      const action = message?.card?.actions.find((a) => a.id === button);
      if (!action?.value) throw new Error(`no ${button} button on ${messageId}`);
      await act(u, { action: button, ticketId: action.value });
    },

    async deliverTwice(u, text) {
      const requestId = randomUUID();
      await command(u, text, requestId);
      await command(u, text, requestId);
    },

    // The playground has no rate limit: there is no 429 to provoke, so the post simply goes through.
    throttleNextPost: () => undefined,
    // Cards and texts are the neutral model rendered by the page with textContent: no platform schema to break.
    schemaViolations: () => [],
  };
}
