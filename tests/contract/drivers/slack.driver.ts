/**
 * Contract driver for Slack: the real Bolt app inside chatdesk, driven through
 * the Slack emulator with requests signed the way Slack signs them.
 */
import type { Chatdesk } from '../../../src/app';
import type { Ticket, UserRef } from '../../../src/domain/ticket/ticket';
import { waitFor } from '../../emulators/shared';
import { startSlackEmulator, type SlackEmulator } from '../../emulators/slack';
import {
  postSigned,
  sendBlockAction,
  sendEvent,
  sendMessageShortcut,
  sendSlashCommand,
  sendViewSubmission,
  type InboundOptions,
  type InboundResult,
} from '../../emulators/slack/inbound';
import { startTestApp } from '../../support/test-app';
import { governedDesk } from '../../support/desk-file';
import { type CardButton, type ContractDriver, type FormValues, type PrivateCard, type SeenCard, TEXT_FORM_FIELD, type TextForm } from '../contract-driver';
import { slackEnv } from '../../support/slack-env';

const AGENTS = 'C0AGENTS';
const GENERAL = 'C0GENERAL';
const AGENT_GROUP = 'S0ITAGENTS';
const CALLBACK_ID = 'chatdesk_new_ticket';
/** The one-text-area forms' modals (the card's Note, the rating's "Add a comment"). */
const TEXT_FORM_CALLBACK: Record<TextForm, string> = { note: 'chatdesk_note', csat_comment: 'chatdesk_csat_comment' };
const SHORTCUT_ID = 'chatdesk_ticket_from_message';
const escapeForSlack = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const TYPE_ACTION = 'chatdesk:form_type';
const PREFIX = 'chatdesk:';
const BUTTONS = ['claim', 'resolve', 'escalate', 'reopen', 'wait', 'note', 'close'] as const satisfies readonly CardButton[];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string => (isObj(v) && typeof v.text === 'string' ? v.text : '');

/** Every human-visible text of a Block Kit message, flattened in reading order. */
function blocksText(blocks: unknown[]): string {
  const out: string[] = [];
  for (const b of blocks.filter(isObj)) {
    out.push(textOf(b.text));
    if (Array.isArray(b.fields)) out.push(...b.fields.map(textOf));
    if (b.type === 'context' && Array.isArray(b.elements)) out.push(...b.elements.map(textOf));
  }
  return out.filter(Boolean).join('\n');
}

/** Buttons of a message's actions blocks: callback ids (`chatdesk:<id>`) and link buttons (with `url`). */
function buttonsOf(blocks: unknown[]): Pick<PrivateCard, 'actions' | 'links'> {
  const out: Pick<PrivateCard, 'actions' | 'links'> = { actions: [], links: [] };
  for (const b of blocks.filter(isObj)) {
    if (b.type !== 'actions' || !Array.isArray(b.elements)) continue;
    for (const el of b.elements.filter(isObj)) {
      if (el.type !== 'button') continue;
      if (typeof el.url === 'string') out.links.push({ label: textOf(el.text), url: el.url });
      else if (typeof el.action_id === 'string') out.actions.push(el.action_id.slice(PREFIX.length));
    }
  }
  return out;
}

function actionsOf(blocks: unknown[]): SeenCard['actions'] {
  const ids: SeenCard['actions'] = [];
  for (const b of blocks.filter(isObj)) {
    if (b.type !== 'actions' || !Array.isArray(b.elements)) continue;
    for (const el of b.elements.filter(isObj)) {
      const id = typeof el.action_id === 'string' ? el.action_id.slice(PREFIX.length) : '';
      if (el.type === 'users_select') ids.push('assign');
      else if ((BUTTONS as readonly string[]).includes(id)) ids.push(id as CardButton);
    }
  }
  return ids;
}

/** The state Slack would send for a modal input block filled with `value`. */
function stateFor(element: Obj, value: string | undefined): Obj {
  const type = String(element.type);
  if (type === 'static_select') {
    const options = Array.isArray(element.options) ? element.options.filter(isObj) : [];
    const option = options.find((o) => o.value === value);
    return { type, selected_option: option ?? null };
  }
  if (type === 'datepicker') return { type, selected_date: value ?? null };
  return { type, value: value ?? null };
}

/** `env`: more settings for the app (an LLM endpoint, …); `label`: its database's label. */
export function slackDriver(opts: { env?: Record<string, string>; label?: string } = {}): ContractDriver & { emulator(): SlackEmulator } {
  let emu: SlackEmulator;
  let app: Chatdesk;
  let events = '';
  /** What the app answered in the HTTP ack itself (Slack shows it as an ephemeral), per user. */
  const ackTexts: Array<{ user: string; text: string }> = [];
  const people = {
    requester: { id: 'U0ALICE', name: 'alice' },
    agent: { id: 'U0BOB', name: 'bob' },
    otherAgent: { id: 'U0CAROL', name: 'carol' },
    lead: { id: 'U0DAVE', name: 'dave' },
    stranger: { id: 'U0EVE', name: 'eve' },
  };
  const user = (p: { id: string; name: string }): UserRef => ({ platform: 'slack', id: p.id, name: p.name });

  const noteAck = (userId: string, res: InboundResult) => {
    if (isObj(res.json) && typeof res.json.text === 'string') ackTexts.push({ user: userId, text: res.json.text });
  };

  const command = async (u: UserRef, text: string, opts?: InboundOptions & { triggerId?: string }) => {
    const res = await sendSlashCommand(
      emu,
      events,
      { text, userId: u.id, userName: u.name, channelId: GENERAL, ...(opts?.triggerId ? { triggerId: opts.triggerId } : {}) },
      opts,
    );
    noteAck(u.id, res);
    return res;
  };

  /** The trigger_id of each button press (on a card or in a DM), with who pressed it. */
  const presses: Array<{ user: string; triggerId: string }> = [];
  /** The modals of this form Slack opened for this person on this ticket (views.open from their press). */
  /** Modals whose submission was taken (Slack closes them). */
  const closedViews = new Set<string>();
  const formViews = (u: UserRef, ticket: Ticket, form: TextForm): Obj[] => {
    const mine = new Set(presses.filter((p) => p.user === u.id).map((p) => p.triggerId));
    return emu
      .callsTo('views.open')
      .filter((c) => c.status === 200 && mine.has(String(c.args.trigger_id)))
      .map((c) => (typeof c.args.view === 'string' ? (JSON.parse(c.args.view) as Obj) : (c.args.view as Obj)))
      .filter((v) => v.callback_id === TEXT_FORM_CALLBACK[form] && (JSON.parse(String(v.private_metadata ?? '{}')) as Obj).ticketId === ticket.id);
  };

  const cardMessage = (ticket: Ticket) => {
    const ref = ticket.agentCards.find((c) => c.platform === 'slack');
    const channel = ref?.channelId ?? AGENTS;
    const message = emu.messages(channel).find((m) => (ref ? m.ts === ref.messageId : m.text.startsWith(`${ticket.key} `)));
    if (!message) throw new Error(`no Slack card for ${ticket.key} in ${channel}`);
    return message;
  };

  return {
    platform: 'slack',
    requester: user(people.requester),
    agent: user(people.agent),
    otherAgent: user(people.otherAgent),
    lead: user(people.lead),
    stranger: user(people.stranger),
    emulator: () => emu,

    async start() {
      emu = await startSlackEmulator();
      for (const p of Object.values(people)) emu.addUser({ id: p.id, name: p.name, realName: p.name });
      emu.addChannel({ id: AGENTS, name: 'it-agents' });
      emu.addChannel({ id: GENERAL, name: 'general' });
      // carol is an IT agent through the IT user group only.
      emu.addUsergroup(AGENT_GROUP, [people.otherAgent.id]);
      app = await startTestApp(
        {
          ...slackEnv(emu, AGENTS),
          CHATDESK_PLAYGROUND: 'false',
          SLACK_TEAM_ID: emu.teamId,
          CHATDESK_CONFIG: governedDesk({ agents: [user(people.agent)], lead: user(people.lead), agentGroup: { platform: 'slack', id: AGENT_GROUP } }),
          ...opts.env,
        },
        { label: opts.label ?? 'contract_slack' },
      );
      events = `${app.url}/slack/events`;
      return app;
    },

    async stop() {
      await app?.stop();
      await emu?.close();
    },

    async command(u, text) {
      const res = await command(u, text);
      if (res.status !== 200) throw new Error(`/ticket answered ${res.status}: ${res.body}`);
    },

    async submitForm(u, values: FormValues) {
      const triggerId = emu.triggerId();
      await command(u, '', { triggerId });
      await emu.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
      let view = emu.lastView(CALLBACK_ID);
      if (!view) throw new Error('the form did not open');
      // Pick the type first, as a person does: the modal swaps in that type's fields.
      const typeBlock = (view.blocks as Obj[]).find((b) => b.block_id === 'type');
      const initialType = isObj(typeBlock?.element) && isObj(typeBlock.element.initial_option) ? typeBlock.element.initial_option.value : undefined;
      if (initialType !== values.type) {
        const before = emu.callsTo('views.update').length;
        const payload = {
          type: 'block_actions',
          user: { id: u.id, username: u.name, name: u.name, team_id: emu.teamId },
          api_app_id: emu.appId,
          token: emu.verificationToken,
          container: { type: 'view', view_id: view.id },
          trigger_id: emu.triggerId(),
          team: { id: emu.teamId, domain: emu.teamDomain },
          view: { ...view, state: { values: {} } },
          actions: [
            {
              type: 'static_select',
              action_id: TYPE_ACTION,
              block_id: 'type',
              selected_option: { text: { type: 'plain_text', text: values.type }, value: values.type },
              action_ts: emu.nextTs(),
            },
          ],
        };
        await postSigned(emu, events, `payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded');
        const viewId = view.id;
        await waitFor(
          () =>
            emu
              .callsTo('views.update')
              .slice(before)
              .some((c) => c.args.view_id === viewId && c.status === 200),
          { message: 'the form did not switch type' },
        );
        view = emu.view(viewId)!;
      }
      const filled: Record<string, string | undefined> = { type: values.type, title: values.title, description: values.description, ...values.fields };
      const state: Record<string, Obj> = {};
      for (const b of (view.blocks as Obj[]).filter((x) => x.type === 'input' && isObj(x.element))) {
        const element = b.element as Obj;
        state[String(b.block_id)] = { [String(element.action_id)]: stateFor(element, filled[String(b.block_id)]) };
      }
      const res = await sendViewSubmission(emu, events, {
        userId: u.id,
        view: { id: view.id, callback_id: CALLBACK_ID, private_metadata: String(view.private_metadata ?? ''), state: { values: state } },
      });
      if (res.status !== 200) throw new Error(`view submission answered ${res.status}`);
      const errors = isObj(res.json) && res.json.response_action === 'errors' && isObj(res.json.errors) ? res.json.errors : {};
      return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)]));
    },

    async click(u, ticket, button) {
      const card = cardMessage(ticket);
      const triggerId = emu.triggerId();
      presses.push({ user: u.id, triggerId });
      const res = await sendBlockAction(emu, events, { userId: u.id, actionId: `${PREFIX}${button}`, channelId: card.channel, messageTs: card.ts, triggerId });
      if (res.status !== 200) throw new Error(`click answered ${res.status}`);
    },

    async textForms(u, ticket, form) {
      return formViews(u, ticket, form).length;
    },

    async submitTextForm(u, ticket, form, text) {
      const opened = formViews(u, ticket, form).at(-1);
      const field = TEXT_FORM_FIELD[form];
      // Without a modal of theirs, the submission a crafted client could sign all the same (from where the button is).
      const channelId = form === 'note' ? cardMessage(ticket).channel : emu.dmChannelFor(u.id);
      const metadata = opened ? String(opened.private_metadata ?? '') : JSON.stringify({ channelId, ticketId: ticket.id });
      const stored = opened ? emu.lastView(TEXT_FORM_CALLBACK[form]) : undefined;
      // A modal closes once a submission is taken: what is sent after that comes from no open modal.
      const viewId = stored && stored.private_metadata === metadata && !closedViews.has(stored.id) ? stored.id : `VCRAFTED${emu.nextTs().replace('.', '')}`;
      const res = await sendViewSubmission(emu, events, {
        userId: u.id,
        view: {
          id: viewId,
          callback_id: TEXT_FORM_CALLBACK[form],
          private_metadata: metadata,
          state: { values: { [field]: { value: { type: 'plain_text_input', value: text } } } },
        },
      });
      if (res.status !== 200) throw new Error(`${form} submission answered ${res.status}`);
      if (isObj(res.json) && res.json.response_action === 'errors' && isObj(res.json.errors)) return String(res.json.errors[field]);
      closedViews.add(viewId);
      return undefined;
    },

    async assign(u, ticket, assignee) {
      const card = cardMessage(ticket);
      const res = await sendBlockAction(emu, events, {
        userId: u.id,
        actionId: `${PREFIX}assign`,
        selectedUser: assignee.id,
        channelId: card.channel,
        messageTs: card.ts,
      });
      if (res.status !== 200) throw new Error(`assign answered ${res.status}`);
    },

    async replyInThread(u, ticket, text) {
      // A `message.im` event: the requester answers in the thread under the bot's confirmation in their DM.
      const thread = ticket.requesterThread;
      if (thread?.platform !== 'slack') throw new Error(`${ticket.key} has no Slack DM thread`);
      const res = await sendEvent(emu, events, {
        type: 'message',
        channel: thread.channelId,
        channel_type: 'im',
        user: u.id,
        text,
        thread_ts: thread.threadId ?? thread.messageId,
      });
      if (res.status !== 200) throw new Error(`message event answered ${res.status}: ${res.body}`);
    },

    async directMessage(u, text) {
      const res = await sendEvent(emu, events, { type: 'message', channel: emu.dmChannelFor(u.id), channel_type: 'im', user: u.id, text });
      if (res.status !== 200) throw new Error(`message event answered ${res.status}: ${res.body}`);
    },

    async channelMessage(author, text) {
      if (author === 'bot') {
        const res = await fetch(`${emu.apiUrl}chat.postMessage`, {
          method: 'POST',
          headers: { authorization: `Bearer ${emu.botToken}`, 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ channel: GENERAL, text }),
        });
        return String(((await res.json()) as { ts: string }).ts);
      }
      return emu.addUserMessage({ channel: GENERAL, user: author.id, text }).ts;
    },

    async messageAction(u, messageId) {
      const triggerId = emu.triggerId();
      const before = emu.callsTo('views.open').length;
      const res = await sendMessageShortcut(emu, events, { userId: u.id, callbackId: SHORTCUT_ID, channelId: GENERAL, messageTs: messageId, triggerId });
      if (res.status !== 200) throw new Error(`shortcut answered ${res.status}: ${res.body}`);
      const opened = await waitFor(
        () =>
          emu
            .callsTo('views.open')
            .slice(before)
            .find((c) => c.args.trigger_id === triggerId),
        { timeoutMs: 1500 },
      ).catch(() => undefined);
      if (!opened) return undefined;
      const view = emu.lastView(CALLBACK_ID)!;
      const state: Record<string, Obj> = {};
      const prefilled: Record<string, string> = {};
      for (const b of (view.blocks as Obj[]).filter((x) => x.type === 'input' && isObj(x.element))) {
        const element = b.element as Obj;
        const initial = isObj(element.initial_option)
          ? String(element.initial_option.value)
          : typeof element.initial_value === 'string'
            ? element.initial_value
            : undefined;
        if (initial !== undefined) prefilled[String(b.block_id)] = initial;
        state[String(b.block_id)] = { [String(element.action_id)]: stateFor(element, initial) };
      }
      const sub = await sendViewSubmission(emu, events, {
        userId: u.id,
        view: { id: view.id, callback_id: CALLBACK_ID, private_metadata: String(view.private_metadata ?? ''), state: { values: state } },
      });
      if (sub.status !== 200) throw new Error(`view submission answered ${sub.status}`);
      return { title: prefilled.title ?? '', description: prefilled.description ?? '' };
    },

    async react(u, messageId, emoji = 'ticket') {
      const res = await sendEvent(emu, events, {
        type: 'reaction_added',
        user: u.id,
        reaction: emoji,
        item: { type: 'message', channel: GENERAL, ts: messageId },
        item_user: emu.messages(GENERAL).find((m) => m.ts === messageId)?.user ?? emu.botUserId,
        event_ts: emu.nextTs(),
      });
      if (res.status !== 200) throw new Error(`reaction event answered ${res.status}: ${res.body}`);
    },

    async messageThread(messageId) {
      return emu
        .messages(GENERAL)
        .filter((m) => m.bot_id && m.thread_ts === messageId && m.ts !== messageId)
        .map((m) => m.text);
    },

    async messageLink(messageId) {
      return emu.permalink(GENERAL, messageId);
    },

    async replyInCardThread(u, ticket, text) {
      const card = cardMessage(ticket);
      // Slack escapes `>` in message text, as the client sends it.
      const res = await sendEvent(emu, events, { type: 'message', channel: card.channel, user: u.id, text: escapeForSlack(text), thread_ts: card.ts });
      if (res.status !== 200) throw new Error(`message event answered ${res.status}: ${res.body}`);
    },

    async cards(ticket) {
      return (
        emu
          .messages(AGENTS)
          // Top-level messages only: thread replies (notes to the agents) are not cards.
          .filter((m) => m.bot_id && (!m.thread_ts || m.thread_ts === m.ts) && m.text.includes(ticket.key))
          .map((m) => ({ messageId: m.ts, text: blocksText(m.blocks ?? []) || m.text, actions: actionsOf(m.blocks ?? []) }))
      );
    },

    async cardThread(ticket) {
      const card = ticket.agentCards[0]?.messageId;
      return emu
        .messages(AGENTS)
        .filter((m) => m.bot_id && m.thread_ts === card && m.ts !== card)
        .map((m) => m.text);
    },

    async privateTexts(u) {
      // The emulator's private texts are in Slack's order; ack texts are rare (help), appended.
      return [...emu.privateTexts(u.id), ...ackTexts.filter((a) => a.user === u.id).map((a) => a.text)];
    },

    async privateCards(u) {
      return emu
        .messages(emu.dmChannelFor(u.id))
        .filter((m) => m.bot_id && m.blocks)
        .map((m) => ({ messageId: m.ts, text: blocksText(m.blocks ?? []), ...buttonsOf(m.blocks ?? []) }));
    },

    async expectedCardLink(ticket) {
      const card = cardMessage(ticket);
      return emu.permalink(card.channel, card.ts);
    },

    async clickPrivate(u, messageId, button) {
      const triggerId = emu.triggerId();
      presses.push({ user: u.id, triggerId });
      const channelId = emu.dmChannelFor(u.id);
      const res = await sendBlockAction(emu, events, { userId: u.id, actionId: `${PREFIX}${button}`, channelId, messageTs: messageId, triggerId });
      if (res.status !== 200) throw new Error(`click in the DM answered ${res.status}`);
    },

    async followLink(u, messageId, label) {
      // Slack opens the URL and sends a block_actions for the button all the same.
      const channel = emu.dmChannelFor(u.id);
      const message = emu.messages(channel).find((m) => m.ts === messageId);
      const button = (message?.blocks ?? [])
        .filter(isObj)
        .flatMap((b) => (Array.isArray(b.elements) ? b.elements.filter(isObj) : []))
        .find((el) => typeof el.url === 'string' && textOf(el.text) === label);
      if (typeof button?.action_id !== 'string') throw new Error(`no link button "${label}" in ${messageId}`);
      const res = await sendBlockAction(emu, events, { userId: u.id, actionId: button.action_id, channelId: channel, messageTs: messageId });
      if (res.status !== 200) throw new Error(`link click answered ${res.status}`);
    },

    async forged(kind, u, text) {
      const opts: Record<typeof kind, InboundOptions> = {
        unsigned: { unsigned: true },
        // Same text, another requester: accepted, it would store a ticket with this title.
        tampered: { tamper: (body) => body.replace(`user_id=${u.id}`, `user_id=${people.agent.id}`) },
        stale: { timestampSkewSec: -6 * 60 },
        'wrong-key': { badSignature: true },
      };
      return (await command(u, text, opts[kind])).status;
    },

    async deliverTwice(u, text) {
      const triggerId = emu.triggerId();
      await command(u, text, { triggerId });
      await command(u, text, { triggerId, retryNum: 1, retryReason: 'http_timeout' });
    },

    async fromOtherWorkspace(u, text) {
      return (await sendSlashCommand(emu, events, { text, userId: u.id, userName: u.name, channelId: GENERAL, teamId: 'T0OTHERWS' })).status;
    },

    outboundCalls: () => emu.calls.length,
    throttleNextPost: () => emu.throttleNextPost(),
    blockDirectMessages: (u) => emu.blockDirectMessages(u.id),
    schemaViolations: () => [...emu.schemaViolations],
  };
}
