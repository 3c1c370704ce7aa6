import crypto from 'node:crypto';
import type { Chatdesk } from '../../../src/app';
import type { Ticket, UserRef } from '../../../src/domain/ticket/ticket';
import type { CsatButton } from '../../../src/core/csat';
import { startTeamsEmulator, type TeamsEmulator, type TeamsUser } from '../../emulators/teams';
import { adaptiveCardOf, cardActions, cardLinks, cardText, dialogErrors, fillInputs, findAction, rendered } from '../../emulators/teams/client';
import {
  messageActivity,
  postActivity,
  sendCardAction,
  sendMessage,
  sendMessageAction,
  sendTaskFetch,
  sendTaskSubmit,
  type TeamsMessagePayload,
  type Where,
} from '../../emulators/teams/inbound';
import { governedDesk } from '../../support/desk-file';
import { startTestApp } from '../../support/test-app';
import { type CardButton, type ContractDriver, type FormValues, type PrivateCard, type SeenCard, TEXT_FORM_FIELD, type TextForm } from '../contract-driver';

const people = [
  { key: 'requester', name: 'Alice Requester' },
  { key: 'agent', name: 'Bob Agent' },
  { key: 'otherAgent', name: 'Carol Agent' },
  { key: 'lead', name: 'Dave Lead' },
  { key: 'stranger', name: 'Eve Stranger' },
] as const;
const teamsId = () => `29:1${crypto.randomBytes(16).toString('base64url')}`;

/**
 * Teams through the real Teams SDK inside chatdesk and the Teams emulator:
 * people type `@chatdesk ticket …` in a team channel, open the dialog from the
 * bot's button, click Action.Execute buttons on the card in the agents channel.
 */
export class TeamsDriver implements ContractDriver {
  readonly platform = 'teams' as const;
  readonly requester: UserRef = { platform: 'teams', id: teamsId(), name: people[0].name };
  readonly agent: UserRef = { platform: 'teams', id: teamsId(), name: people[1].name };
  readonly otherAgent: UserRef = { platform: 'teams', id: teamsId(), name: people[2].name };
  readonly lead: UserRef = { platform: 'teams', id: teamsId(), name: people[3].name };
  readonly stranger: UserRef = { platform: 'teams', id: teamsId(), name: people[4].name };
  private emu!: TeamsEmulator;
  private app!: Chatdesk;
  private readonly agents = `19:agents${crypto.randomBytes(6).toString('hex')}@thread.tacv2`;
  private readonly general = `19:general${crypto.randomBytes(6).toString('hex')}@thread.tacv2`;

  private get endpoint() {
    return `${this.app.url}/teams/messages`;
  }

  private teamsUser(user: UserRef): TeamsUser {
    const u = this.emu.user(user.id);
    if (!u) throw new Error(`unknown Teams user ${user.id}`);
    return u;
  }

  async start(): Promise<Chatdesk> {
    const env = await this.startEmulator();
    return this.attach(
      await startTestApp(
        {
          ...env,
          TEAMS_AGENT_CHANNEL: this.agents,
          CHATDESK_PLAYGROUND: 'false',
          CHATDESK_CONFIG: governedDesk({ agents: [this.agent, this.otherAgent], lead: this.lead }),
        },
        { label: 'teams-contract' },
      ),
    );
  }

  /** Starts only the emulator; returns the env that points chatdesk at it (no agent channel: see `agentChannel`). */
  async startEmulator(): Promise<Record<string, string>> {
    this.emu = await startTeamsEmulator();
    for (const u of [this.requester, this.agent, this.otherAgent, this.lead, this.stranger]) this.emu.addUser({ id: u.id, name: u.name as string });
    this.emu.addChannel(this.agents, 'Agents');
    this.emu.addChannel(this.general, 'General');
    return {
      TEAMS_APP_ID: this.emu.appId,
      TEAMS_APP_PASSWORD: this.emu.appPassword,
      TEAMS_TENANT_ID: this.emu.tenantId,
      TEAMS_SERVICE_URL_ALLOWLIST: '127.0.0.1',
      TEAMS_OPENID_METADATA_URL: this.emu.openIdMetadataUrl,
      TEAMS_LOGIN_URL: this.emu.loginUrl,
    };
  }

  get agentChannel(): string {
    return this.agents;
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

  private expectOk(what: string, res: { status: number; body: string }): void {
    if (res.status !== 200) throw new Error(`${what}: chatdesk answered ${res.status} ${res.body.slice(0, 300)}`);
  }

  async command(user: UserRef, text: string): Promise<void> {
    this.expectOk('ticket command', await sendMessage(this.emu, this.endpoint, this.teamsUser(user), { channel: this.general }, `ticket ${text}`));
  }

  async submitForm(user: UserRef, values: FormValues): Promise<Record<string, string>> {
    const who = this.teamsUser(user);
    const where: Where = { channel: this.general };
    const before = this.emu.activities(this.general).length;
    this.expectOk('ticket (form)', await sendMessage(this.emu, this.endpoint, who, where, 'ticket'));
    const launcher = this.emu
      .activities(this.general)
      .slice(before)
      .find((a) => a.targetedTo === who.id && adaptiveCardOf(a.activity));
    const open = launcher && findAction(adaptiveCardOf(launcher.activity)!, (a) => a.data?.msteams?.type === 'task/fetch');
    if (!open) throw new Error('the bot showed no button that opens the ticket dialog');
    const fetched = await sendTaskFetch(this.emu, this.endpoint, who, where, open.data);
    this.expectOk('task/fetch', fetched);
    let card = fetched.json?.task?.value?.card?.content;
    if (fillInputs(card, {}).type !== values.type) {
      const refresh = findAction(card, (a) => a.data?.chatdesk_step === 'refresh');
      const res = await sendTaskSubmit(this.emu, this.endpoint, who, where, { ...fillInputs(card, { type: values.type }), ...refresh?.data });
      this.expectOk('task/submit (type switch)', res);
      card = res.json?.task?.value?.card?.content;
    }
    const submit = findAction(card, (a) => a.data?.chatdesk_step === 'submit');
    const typed = { type: values.type, title: values.title, ...(values.description ? { description: values.description } : {}), ...values.fields };
    const res = await sendTaskSubmit(this.emu, this.endpoint, who, where, { ...fillInputs(card, typed), ...submit?.data });
    this.expectOk('task/submit', res);
    if (res.json?.task?.type === 'continue') return dialogErrors(res.json.task.value.card.content);
    return {};
  }

  /** Messages people wrote in the General channel (Teams keeps them; the emulator stores only the bot's). */
  private readonly written = new Map<string, TeamsMessagePayload>();

  async channelMessage(author: UserRef | 'bot', text: string): Promise<string> {
    const id = `${Date.now()}${String(this.written.size).padStart(4, '0')}`;
    const from: TeamsMessagePayload['from'] =
      author === 'bot'
        ? { application: { id: this.emu.appId, displayName: this.emu.botName } }
        : { user: { id: this.teamsUser(author).aadObjectId, displayName: author.name ?? '', userIdentityType: 'aadUser' } };
    const query = new URLSearchParams({ tenantId: this.emu.tenantId, groupId: this.emu.teamGroupId, parentMessageId: id });
    this.written.set(id, {
      id,
      body: { contentType: 'html', content: `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>` },
      from,
      linkToMessage: `https://teams.microsoft.com/l/message/${this.general}/${id}?${query}`,
      createdDateTime: new Date().toISOString(),
    });
    return id;
  }

  async messageAction(user: UserRef, messageId: string): Promise<{ title: string; description: string } | undefined> {
    const who = this.teamsUser(user);
    const where: Where = { channel: this.general, threadOf: messageId };
    const messagePayload = this.written.get(messageId)!;
    const commandId = 'chatdesk_ticket_from_message';
    const fetched = await sendMessageAction(this.emu, this.endpoint, who, where, 'composeExtension/fetchTask', { commandId, messagePayload });
    this.expectOk('composeExtension/fetchTask', fetched);
    const card = fetched.json?.task?.value?.card?.content;
    if (!card) return undefined;
    const prefilled = fillInputs(card, {});
    const submit = findAction(card, (a) => a.data?.chatdesk_step === 'submit');
    const res = await sendMessageAction(this.emu, this.endpoint, who, where, 'composeExtension/submitAction', {
      commandId,
      messagePayload,
      data: { ...prefilled, ...submit?.data },
    });
    this.expectOk('composeExtension/submitAction', res);
    return { title: String(prefilled.title ?? ''), description: String(prefilled.description ?? '') };
  }

  async messageThread(messageId: string): Promise<string[]> {
    return this.emu
      .activities(this.general)
      .filter((a) => a.threadId === messageId && a.id !== messageId && !a.targetedTo)
      .map((a) => rendered(String(a.activity.text ?? '')));
  }

  async messageLink(messageId: string): Promise<string | undefined> {
    return this.written.get(messageId)?.linkToMessage;
  }

  async replyInCardThread(user: UserRef, ticket: Ticket, text: string): Promise<void> {
    // In a channel the bot hears only lines that @mention it: `@chatdesk >> …` in the card's reply chain.
    const { post } = this.cardOf(ticket);
    this.expectOk('card thread reply', await sendMessage(this.emu, this.endpoint, this.teamsUser(user), { channel: this.agents, threadOf: post.id }, text));
  }

  private cardOf(ticket: Ticket) {
    const post = this.emu.rootPosts(this.agents).find((a) => cardText(adaptiveCardOf(a.activity) ?? {}).includes(`${ticket.key} `));
    const card = post && adaptiveCardOf(post.activity);
    if (!post || !card) throw new Error(`no card for ${ticket.key} in the agents channel`);
    return { post, card };
  }

  /** Each dialog a Note or "Add a comment" press fetched, as Teams got it (the task/fetch answer), by who pressed it on which ticket. */
  private readonly formFetches: Array<{ user: string; ticketId: string; form: string; task: Record<string, any> | undefined }> = [];

  private openedForms(user: UserRef, ticket: Ticket, form: TextForm) {
    return this.formFetches.filter((f) => f.user === user.id && f.ticketId === ticket.id && f.form === form && f.task?.type === 'continue');
  }

  /** Presses a button that fetches a form's dialog (an Action.Submit with task/fetch) and keeps what Teams got. */
  private async fetchForm(user: UserRef, where: Where, data: Record<string, any>): Promise<void> {
    const res = await sendTaskFetch(this.emu, this.endpoint, this.teamsUser(user), where, data);
    this.expectOk(`task/fetch (${data.chatdesk_form})`, res);
    this.formFetches.push({ user: user.id, ticketId: String(data.ticketId), form: String(data.chatdesk_form), task: res.json?.task });
  }

  async textForms(user: UserRef, ticket: Ticket, form: TextForm): Promise<number> {
    return this.openedForms(user, ticket, form).length;
  }

  async submitTextForm(user: UserRef, ticket: Ticket, form: TextForm, text: string): Promise<string | undefined> {
    const card = this.openedForms(user, ticket, form).at(-1)?.task?.value?.card?.content;
    const field = TEXT_FORM_FIELD[form];
    // Without a dialog of theirs, the submission a crafted client could send all the same.
    const submit = card
      ? findAction(card, (a) => a.data?.chatdesk_step === 'submit')?.data
      : { chatdesk_form: form, chatdesk_step: 'submit', ticketId: ticket.id };
    const typed = card ? fillInputs(card, { [field]: text }) : { [field]: text };
    const where: Where = form === 'note' ? { channel: this.agents } : { personal: true };
    const res = await sendTaskSubmit(this.emu, this.endpoint, this.teamsUser(user), where, { ...typed, ...submit });
    this.expectOk(`task/submit (${form})`, res);
    if (res.json?.task?.type === 'continue') return dialogErrors(res.json.task.value.card.content)[field];
    return undefined;
  }

  async click(user: UserRef, ticket: Ticket, button: CardButton): Promise<void> {
    const { post, card } = this.cardOf(ticket);
    if (button === 'note') {
      // Note is an Action.Submit that fetches the note dialog.
      const open = findAction(card, (a) => a.type === 'Action.Submit' && a.data?.msteams?.type === 'task/fetch' && a.data?.chatdesk_form === 'note');
      if (!open) throw new Error(`the card of ${ticket.key} shows no Note button that opens a dialog`);
      return this.fetchForm(user, { channel: this.agents, threadOf: post.id }, open.data);
    }
    const action = findAction(card, (a) => a.type === 'Action.Execute' && a.verb === button);
    if (!action) throw new Error(`the card of ${ticket.key} shows no ${button} button`);
    const res = await sendCardAction(
      this.emu,
      this.endpoint,
      this.teamsUser(user),
      { channel: this.agents, messageId: post.id },
      { verb: button, data: action.data },
    );
    this.expectOk(`click ${button}`, res);
  }

  async assign(user: UserRef, ticket: Ticket, assignee: UserRef): Promise<void> {
    const { post, card } = this.cardOf(ticket);
    const action = findAction(card, (a) => a.type === 'Action.Execute' && a.verb === 'assign');
    if (!action || !cardActions(card).includes('assign')) throw new Error(`the card of ${ticket.key} shows no people picker`);
    // The people picker's value is the chosen person's Entra object id.
    const data = { ...fillInputs(card, { assignee: this.teamsUser(assignee).aadObjectId }), ...action.data };
    const res = await sendCardAction(this.emu, this.endpoint, this.teamsUser(user), { channel: this.agents, messageId: post.id }, { verb: 'assign', data });
    this.expectOk('assign', res);
  }

  /**
   * A plain message in the 1:1 chat with the bot, as a reply to the ticket's confirmation there. A 1:1 chat has
   * no threads: the reply is named by `replyToId`, which is what chatdesk reads (teams-commands.ts).
   */
  async replyInThread(user: UserRef, ticket: Ticket, text: string): Promise<void> {
    const thread = ticket.requesterThread;
    if (thread?.platform !== 'teams') throw new Error(`${ticket.key} has no Teams 1:1 thread`);
    const activity = messageActivity(this.emu, this.teamsUser(user), { personal: true }, text);
    const conversation = activity.conversation as { id: string };
    if (conversation.id !== thread.channelId) throw new Error(`${ticket.key}'s thread is in ${thread.channelId}, not in the 1:1 chat ${conversation.id}`);
    this.expectOk('message in the 1:1 chat', await postActivity(this.emu, this.endpoint, { ...activity, replyToId: thread.threadId ?? thread.messageId }));
  }

  async directMessage(user: UserRef, text: string): Promise<void> {
    this.expectOk(
      'message in the 1:1 chat',
      await postActivity(this.emu, this.endpoint, messageActivity(this.emu, this.teamsUser(user), { personal: true }, text)),
    );
  }

  async cards(ticket: Ticket): Promise<SeenCard[]> {
    return this.emu
      .rootPosts(this.agents)
      .map((a) => ({ messageId: a.id, card: adaptiveCardOf(a.activity) }))
      .filter((c) => c.card && cardText(c.card).includes(`${ticket.key} `))
      .map((c) => ({ messageId: c.messageId, text: cardText(c.card!), actions: cardActions(c.card!) as SeenCard['actions'] }));
  }

  async cardThread(ticket: Ticket): Promise<string[]> {
    const card = ticket.agentCards[0]?.messageId;
    return this.emu
      .activities(this.agents)
      .filter((a) => a.threadId === card && a.id !== card)
      .map((a) => rendered(String(a.activity.text ?? '')));
  }

  async privateTexts(user: UserRef): Promise<string[]> {
    return this.emu.privateTexts(user.id).map((p) => rendered(p.text));
  }

  async privateCards(user: UserRef): Promise<PrivateCard[]> {
    return this.emu
      .activities(this.emu.personalChatOf(user.id).id)
      .map((a) => ({ messageId: a.id, card: adaptiveCardOf(a.activity) }))
      .filter((c) => c.card)
      .map((c) => ({ messageId: c.messageId, text: cardText(c.card!), actions: cardActions(c.card!), links: cardLinks(c.card!) }));
  }

  /** The documented channel-message deep link; the team's group id is known once an activity from the channel was seen. */
  async expectedCardLink(ticket: Ticket): Promise<string> {
    const { post } = this.cardOf(ticket);
    const query = new URLSearchParams({ tenantId: this.emu.tenantId, groupId: this.emu.teamGroupId, parentMessageId: post.id });
    return `https://teams.microsoft.com/l/message/${this.agents}/${post.id}?${query}`;
  }

  async clickPrivate(user: UserRef, messageId: string, button: 'acknowledge' | 'take_over' | 'open_from_message' | CsatButton | 'csat_comment'): Promise<void> {
    const posted = this.emu.activities(this.emu.personalChatOf(user.id).id).find((a) => a.id === messageId);
    if (button === 'csat_comment') {
      // "Add a comment" is an Action.Submit that fetches the comment dialog, in the 1:1 chat.
      const open = posted && findAction(adaptiveCardOf(posted.activity) ?? {}, (a) => a.type === 'Action.Submit' && a.data?.chatdesk_form === button);
      if (!open) throw new Error(`no ${button} button that opens a dialog on ${messageId} in the 1:1 chat`);
      return this.fetchForm(user, { personal: true }, open.data);
    }
    const action = posted && findAction(adaptiveCardOf(posted.activity) ?? {}, (a) => a.type === 'Action.Execute' && a.verb === button);
    if (!action) throw new Error(`no ${button} button on ${messageId} in the 1:1 chat`);
    this.expectOk(
      `click ${button} in the 1:1 chat`,
      await sendCardAction(this.emu, this.endpoint, this.teamsUser(user), { personal: true, messageId }, { verb: button, data: action.data }),
    );
  }

  async forged(kind: 'unsigned' | 'tampered' | 'stale' | 'wrong-key', user: UserRef, text: string): Promise<number> {
    const activity = messageActivity(this.emu, this.teamsUser(user), { channel: this.general }, `ticket ${text}`);
    return (await postActivity(this.emu, this.endpoint, activity, kind)).status;
  }

  async fromOtherWorkspace(user: UserRef, text: string): Promise<number> {
    const activity = messageActivity(this.emu, this.teamsUser(user), { channel: this.general }, `ticket ${text}`);
    const other = crypto.randomUUID();
    const conversation = { ...(activity.conversation as Record<string, unknown>), tenantId: other };
    const channelData = { ...(activity.channelData as Record<string, unknown>), tenant: { id: other } };
    return (await postActivity(this.emu, this.endpoint, { ...activity, conversation, channelData })).status;
  }

  outboundCalls(): number {
    return this.emu.calls.length;
  }

  async deliverTwice(user: UserRef, text: string): Promise<void> {
    const activity = messageActivity(this.emu, this.teamsUser(user), { channel: this.general }, `ticket ${text}`);
    this.expectOk('first delivery', await postActivity(this.emu, this.endpoint, activity));
    this.expectOk('redelivery', await postActivity(this.emu, this.endpoint, activity));
  }

  throttleNextPost(): void {
    this.emu.failNext('activities.create', { status: 429, retryAfterSec: 1 });
  }

  blockDirectMessages(user: UserRef): void {
    this.emu.blockDirectMessages(user.id);
  }

  schemaViolations(): string[] {
    return [...this.emu.schemaViolations];
  }
}
