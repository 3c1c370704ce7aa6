import type { Chatdesk } from '../../../src/app';
import type { Ticket, UserRef } from '../../../src/domain/ticket/ticket';
import { waitFor } from '../../emulators/shared';
import { startFeishuEmulator, type FeishuEmulator, type LarkMessage } from '../../emulators/feishu';
import { callbackValue, cardActions, cardLinks, cardOf, cardText, findElement, formErrors, messageText } from '../../emulators/feishu/card-view';
import { postLark, sendBotMenu, sendCardAction, sendReaction, sendTextMessage, textMessageEvent } from '../../emulators/feishu/inbound';
import { governedDesk } from '../../support/desk-file';
import { startTestApp } from '../../support/test-app';
import { type CardButton, type ContractDriver, type FormValues, type PrivateCard, type SeenCard, TEXT_FORM_FIELD, type TextForm } from '../contract-driver';

/** The one-text-area forms' submit callbacks (each carries the ticket). */
const SUBMIT_ACTION: Record<TextForm, string> = { note: 'submit_note', csat_comment: 'submit_csat_comment' };

const AGENTS = 'oc_agents_it';
/** A group where people @mention the bot (used by people the bot cannot DM). */
const LOBBY = 'oc_lobby';
const AGENT_GROUP = 'g_it_agents';

/** Feishu through the real @larksuiteoapi/node-sdk inside chatdesk and the Feishu emulator. */
export class FeishuDriver implements ContractDriver {
  readonly platform = 'feishu' as const;
  readonly requester: UserRef = { platform: 'feishu', id: 'ou_alice0000000000000001', name: 'Alice Wang' };
  readonly agent: UserRef = { platform: 'feishu', id: 'ou_bob000000000000000002', name: 'Bob Li' };
  readonly otherAgent: UserRef = { platform: 'feishu', id: 'ou_carol0000000000000003', name: 'Carol Zhang' };
  readonly lead: UserRef = { platform: 'feishu', id: 'ou_dave000000000000000004', name: 'Dave Zhao' };
  readonly stranger: UserRef = { platform: 'feishu', id: 'ou_eve0000000000000000005', name: 'Eve Sun' };
  private emu!: FeishuEmulator;
  private app!: Chatdesk;
  private readonly blocked = new Set<string>();

  constructor(private readonly label = 'feishu-contract') {}

  get emulator(): FeishuEmulator {
    return this.emu;
  }
  private get events(): string {
    return `${this.app.url}/feishu/events`;
  }
  private get cardUrl(): string {
    return `${this.app.url}/feishu/card`;
  }

  async start(): Promise<Chatdesk> {
    const env = await this.startEmulator();
    return this.attach(
      await startTestApp(
        {
          ...env,
          FEISHU_AGENT_CHAT: AGENTS,
          CHATDESK_PLAYGROUND: 'false',
          CHATDESK_CONFIG: governedDesk({ agents: [this.agent], lead: this.lead, agentGroup: { platform: 'feishu', id: AGENT_GROUP } }),
        },
        { label: this.label },
      ),
    );
  }

  /** Starts only the emulator; returns the env that points chatdesk at it (no agent chat: see `agentChannel`). */
  async startEmulator(): Promise<Record<string, string>> {
    this.emu = await startFeishuEmulator();
    for (const u of [this.requester, this.agent, this.otherAgent, this.lead, this.stranger]) this.emu.addUser({ openId: u.id, name: u.name as string });
    // carol is an IT agent through the contact user group only; eve sits in the agents' chat without being an agent.
    this.emu.addUserGroup(AGENT_GROUP, [this.otherAgent.id]);
    this.emu.addGroup({ chatId: AGENTS, name: 'IT agents', members: [this.agent.id, this.otherAgent.id, this.stranger.id] });
    this.emu.addGroup({ chatId: LOBBY, name: 'All hands', members: [this.requester.id, this.agent.id, this.otherAgent.id] });
    return {
      FEISHU_APP_ID: this.emu.appId,
      FEISHU_APP_SECRET: this.emu.appSecret,
      FEISHU_ENCRYPT_KEY: this.emu.encryptKey,
      FEISHU_VERIFICATION_TOKEN: this.emu.verificationToken,
      FEISHU_API_URL: this.emu.url,
      FEISHU_TENANT_KEY: this.emu.tenantKey,
    };
  }

  get agentChannel(): string {
    return AGENTS;
  }

  /** Drives an app started elsewhere (e.g. with several messengers on). */
  attach(app: Chatdesk): Chatdesk {
    this.app = app;
    return app;
  }

  async stop(): Promise<void> {
    await this.app?.stop();
    await this.emu?.close();
  }

  /** In a DM with the bot; someone the bot cannot reach types it in a group with an @mention (a DM would not exist). */
  async command(user: UserRef, text: string): Promise<void> {
    const res = await sendTextMessage(this.emu, this.events, {
      openId: user.id,
      text: `/ticket ${text}`,
      ...(this.blocked.has(user.id) ? { groupChatId: LOBBY } : {}),
    });
    if (res.status !== 200) throw new Error(`command answered ${res.status}`);
  }

  async submitForm(user: UserRef, values: FormValues): Promise<Record<string, string>> {
    const chatId = this.emu.p2pChatFor(user.id);
    const before = new Set(this.emu.messages(chatId).map((m) => m.messageId));
    const menu = await sendBotMenu(this.emu, this.events, { openId: user.id, eventKey: 'new_ticket' });
    if (menu.status !== 200) throw new Error(`bot menu answered ${menu.status}`);
    const form = await waitFor(() => this.emu.messages(chatId).find((m) => !before.has(m.messageId) && !!findElement(cardOf(m), (el) => el.tag === 'form')), {
      message: 'the form card in the DM',
    });
    const typeSwitch = findElement(cardOf(form), (el) => el.element_id === 'type_switch');
    if (typeSwitch && typeSwitch.initial_option !== values.type) {
      const res = await sendCardAction(this.emu, this.cardUrl, {
        openId: user.id,
        messageId: form.messageId,
        tag: 'select_static',
        value: callbackValue(typeSwitch) ?? {},
        option: values.type,
      });
      if (res.status !== 200) throw new Error(`type switch answered ${res.status}`);
    }
    const submit = findElement(cardOf(this.emu.message(form.messageId)), (el) => el.tag === 'button' && el.form_action_type === 'submit');
    if (!submit) throw new Error('the form has no submit button');
    const formValue: Record<string, unknown> = { title: values.title, ...(values.description ? { description: values.description } : {}), ...values.fields };
    const res = await sendCardAction(this.emu, this.cardUrl, {
      openId: user.id,
      messageId: form.messageId,
      tag: 'button',
      value: callbackValue(submit) ?? {},
      formValue,
      name: 'submit',
    });
    if (res.status !== 200) throw new Error(`submit answered ${res.status}`);
    return formErrors(cardOf(this.emu.message(form.messageId)));
  }

  /** A text in the DM, as a reply to the ticket's confirmation there (the event names it in `root_id`/`parent_id`). */
  async replyInThread(user: UserRef, ticket: Ticket, text: string): Promise<void> {
    const thread = ticket.requesterThread;
    if (thread?.platform !== 'feishu') throw new Error(`${ticket.key} has no Feishu DM thread`);
    const res = await sendTextMessage(this.emu, this.events, { openId: user.id, text, parentId: thread.messageId });
    if (res.status !== 200) throw new Error(`reply answered ${res.status}`);
  }

  async directMessage(user: UserRef, text: string): Promise<void> {
    const res = await sendTextMessage(this.emu, this.events, { openId: user.id, text });
    if (res.status !== 200) throw new Error(`message answered ${res.status}`);
  }

  /** The note form cards the bot sent this person for this ticket (to their chat with the bot, when they pressed Note). */
  /** The form cards of this kind the bot sent this person's chat with it for this ticket (a form card that became its outcome no longer counts). */
  private formCards(user: UserRef, ticket: Ticket, form: TextForm): LarkMessage[] {
    return this.emu
      .messages(this.emu.p2pChatFor(user.id))
      .filter((m) => m.sender.type === 'app' && m.msgType === 'interactive')
      .filter((m) => {
        const submit = findElement(cardOf(m), (el) => el.tag === 'button' && el.form_action_type === 'submit');
        const value = submit && callbackValue(submit);
        return value?.action === SUBMIT_ACTION[form] && value.ticketId === ticket.id;
      });
  }

  async textForms(user: UserRef, ticket: Ticket, form: TextForm): Promise<number> {
    return this.formCards(user, ticket, form).length;
  }

  async submitTextForm(user: UserRef, ticket: Ticket, form: TextForm, text: string): Promise<string | undefined> {
    const opened = this.formCards(user, ticket, form).at(-1);
    const submit = opened && findElement(cardOf(this.emu.message(opened.messageId)), (el) => el.tag === 'button' && el.form_action_type === 'submit');
    // Without a form of theirs, the callback a crafted client could send all the same (from the ticket's card).
    const value = (submit && callbackValue(submit)) ?? { action: SUBMIT_ACTION[form], ticketId: ticket.id, key: ticket.key, locale: 'en' };
    const messageId = opened?.messageId ?? this.cardMessage(ticket).messageId;
    const field = TEXT_FORM_FIELD[form];
    const res = await sendCardAction(this.emu, this.cardUrl, {
      openId: user.id,
      messageId,
      tag: 'button',
      value,
      formValue: { [field]: text },
      name: 'submit',
    });
    if (res.status !== 200) throw new Error(`${form} submit answered ${res.status}`);
    return opened ? formErrors(cardOf(this.emu.message(opened.messageId)))[field] : undefined;
  }

  private cardMessage(ticket: Ticket): LarkMessage {
    const ref = ticket.agentCards.find((c) => c.platform === 'feishu');
    const message = ref ? this.emu.message(ref.messageId) : undefined;
    if (!message) throw new Error(`no Feishu card for ${ticket.key}`);
    return message;
  }

  async click(user: UserRef, ticket: Ticket, button: CardButton): Promise<void> {
    const message = this.cardMessage(ticket);
    const el = findElement(cardOf(message), (e) => e.tag === 'button' && callbackValue(e)?.action === button);
    if (!el) throw new Error(`${ticket.key}'s card shows no ${button} button`);
    const res = await sendCardAction(this.emu, this.cardUrl, { openId: user.id, messageId: message.messageId, tag: 'button', value: callbackValue(el) ?? {} });
    if (res.status !== 200) throw new Error(`click answered ${res.status}`);
  }

  async assign(user: UserRef, ticket: Ticket, assignee: UserRef): Promise<void> {
    const message = this.cardMessage(ticket);
    const el = findElement(cardOf(message), (e) => e.tag === 'select_person');
    if (!el) throw new Error(`${ticket.key}'s card shows no people picker`);
    const res = await sendCardAction(this.emu, this.cardUrl, {
      openId: user.id,
      messageId: message.messageId,
      tag: 'select_person',
      value: callbackValue(el) ?? {},
      option: assignee.id,
    });
    if (res.status !== 200) throw new Error(`assign answered ${res.status}`);
  }

  async channelMessage(author: UserRef | 'bot', text: string): Promise<string> {
    const content = JSON.stringify({ text });
    const by = author === 'bot' ? { openId: this.emu.botOpenId, fromApp: true } : { openId: author.id };
    return this.emu.addUserMessage({ chatId: LOBBY, content, ...by }).messageId;
  }

  /** Feishu's message shortcuts open a web app, not the bot: the nearest is a reply to the message with `@chatdesk /ticket`. No form opens. */
  async messageAction(user: UserRef, messageId: string): Promise<undefined> {
    const res = await sendTextMessage(this.emu, this.events, { openId: user.id, text: '/ticket', groupChatId: LOBBY, parentId: messageId });
    if (res.status !== 200) throw new Error(`reply with /ticket answered ${res.status}`);
    return undefined;
  }

  async react(user: UserRef, messageId: string, emoji = 'OnIt'): Promise<void> {
    const res = await sendReaction(this.emu, this.events, { openId: user.id, messageId, emojiType: emoji === '👍' ? 'THUMBSUP' : emoji });
    if (res.status !== 200) throw new Error(`reaction answered ${res.status}`);
  }

  async messageThread(messageId: string): Promise<string[]> {
    return this.emu
      .messages(LOBBY)
      .filter((m) => m.sender.type === 'app' && m.rootId === messageId && m.messageId !== messageId)
      .map((m) => messageText(m));
  }

  async replyInCardThread(user: UserRef, ticket: Ticket, text: string): Promise<void> {
    // In a group the bot hears only @mentions: `@chatdesk >> …` as a reply in the card's thread.
    const res = await sendTextMessage(this.emu, this.events, { openId: user.id, text, groupChatId: AGENTS, parentId: this.cardMessage(ticket).messageId });
    if (res.status !== 200) throw new Error(`card thread reply answered ${res.status}`);
  }

  async cards(ticket: Ticket): Promise<SeenCard[]> {
    return this.emu
      .messages(AGENTS)
      .filter((m) => m.sender.type === 'app' && m.msgType === 'interactive')
      .map((m) => ({ messageId: m.messageId, card: cardOf(m) }))
      .filter(({ card }) => cardText(card).includes(ticket.key))
      .map(({ messageId, card }) => ({ messageId, text: cardText(card), actions: cardActions(card) as SeenCard['actions'] }));
  }

  async cardThread(ticket: Ticket): Promise<string[]> {
    const card = ticket.agentCards[0]?.messageId;
    return this.emu
      .messages(AGENTS)
      .filter((m) => m.sender.type === 'app' && m.rootId === card && m.messageId !== card)
      .map((m) => messageText(m));
  }

  /** The DM (threads included), the bot's replies to what this person wrote, and toasts shown to them. */
  async privateTexts(user: UserRef): Promise<string[]> {
    const dm = this.emu.messages(this.emu.p2pChatFor(user.id)).filter((m) => m.sender.type === 'app');
    const mine = new Set([...this.emu.messages(LOBBY), ...this.emu.messages(AGENTS)].filter((m) => m.sender.id === user.id).map((m) => m.messageId));
    const replies = [...this.emu.messages(LOBBY), ...this.emu.messages(AGENTS)].filter((m) => m.sender.type === 'app' && m.parentId && mine.has(m.parentId));
    const texts = [...dm, ...replies].map((m) => ({ at: m.createTime, text: messageText(m) }));
    texts.push(...this.emu.toastsFor(user.id).map((x) => ({ at: x.at, text: x.content })));
    return texts.sort((a, b) => a.at - b.at).map((x) => x.text);
  }

  async privateCards(user: UserRef): Promise<PrivateCard[]> {
    return this.emu
      .messages(this.emu.p2pChatFor(user.id))
      .filter((m) => m.sender.type === 'app' && m.msgType === 'interactive')
      .map((m) => ({ messageId: m.messageId, card: cardOf(m) }))
      .map(({ messageId, card }) => ({ messageId, text: cardText(card), actions: cardActions(card), links: cardLinks(card) }));
  }

  /** Chat level: the AppLink that opens the agent chat where the card is. */
  async expectedCardLink(ticket: Ticket): Promise<string> {
    return `https://applink.feishu.cn/client/chat/open?openChatId=${this.cardMessage(ticket).chatId}`;
  }

  async clickPrivate(user: UserRef, messageId: string, button: string): Promise<void> {
    const el = findElement(cardOf(this.emu.message(messageId)), (e) => e.tag === 'button' && callbackValue(e)?.action === button);
    if (!el) throw new Error(`no ${button} button on ${messageId}`);
    const res = await sendCardAction(this.emu, this.cardUrl, { openId: user.id, messageId, tag: 'button', value: callbackValue(el) ?? {} });
    if (res.status !== 200) throw new Error(`click answered ${res.status}`);
  }

  async forged(kind: 'unsigned' | 'tampered' | 'stale' | 'wrong-key', user: UserRef, text: string): Promise<number> {
    const { payload } = textMessageEvent(this.emu, { openId: user.id, text: `/ticket ${text}` });
    return (await postLark(this.emu, this.events, payload, { forge: kind })).status;
  }

  /** Feishu redelivers an unacknowledged event with the same event_id, freshly signed. */
  async deliverTwice(user: UserRef, text: string): Promise<void> {
    const { payload } = textMessageEvent(this.emu, { openId: user.id, text: `/ticket ${text}` });
    const [a, b] = await Promise.all([postLark(this.emu, this.events, payload), postLark(this.emu, this.events, payload)]);
    if (a.status !== 200 || b.status !== 200) throw new Error(`deliveries answered ${a.status}/${b.status}`);
  }

  /** The same app installed in another tenant: signed with the same key, another `tenant_key`. */
  async fromOtherWorkspace(user: UserRef, text: string): Promise<number> {
    const { payload } = textMessageEvent(this.emu, { openId: user.id, text: `/ticket ${text}` });
    const header = { ...(payload.header as Record<string, unknown>), tenant_key: 'other-tenant-0001' };
    return (await postLark(this.emu, this.events, { ...payload, header })).status;
  }

  outboundCalls(): number {
    return this.emu.calls.length;
  }

  throttleNextPost(): void {
    this.emu.failNext('im.message.create', { status: 429, retryAfterSec: 1 });
  }

  blockDirectMessages(user: UserRef): void {
    this.blocked.add(user.id);
    this.emu.blockUser(user.id);
  }

  schemaViolations(): string[] {
    return this.emu.schemaViolations;
  }
}
