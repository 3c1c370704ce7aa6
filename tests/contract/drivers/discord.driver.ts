import type { Chatdesk } from '../../../src/app';
import type { Ticket, UserRef } from '../../../src/domain/ticket/ticket';
import { type DiscordEmulator, messageText, startDiscordEmulator } from '../../emulators/discord';
import {
  addChannelMessage,
  commandInteraction,
  messageCommandInteraction,
  sendReaction,
  sendServerMessage,
  componentInteraction,
  type Forgery,
  modalSubmitInteraction,
  sendDirectMessage,
  sendViaGateway,
  sendViaHttp,
} from '../../emulators/discord/inbound';
import type { DiscordMessage, Obj } from '../../emulators/discord/state';
import { governedDesk } from '../../support/desk-file';
import { startTestApp } from '../../support/test-app';
import { type CardButton, type ContractDriver, type FormValues, type PrivateCard, type SeenCard, TEXT_FORM_FIELD, type TextForm } from '../contract-driver';

/** The one-text-area forms' modals by custom_id prefix (then `<ticket id>:<locale>`). */
const MODAL_PREFIX: Record<TextForm, string> = { note: 'cd:noteform:', csat_comment: 'cd:commentform:' };

export const AGENTS = '1300000000000000001';
export const GENERAL = '1300000000000000002';
export const PEOPLE = {
  requester: { platform: 'discord', id: '1200000000000000001', name: 'Alice Requester' },
  agent: { platform: 'discord', id: '1200000000000000002', name: 'Bob Agent' },
  otherAgent: { platform: 'discord', id: '1200000000000000003', name: 'Carol Agent' },
  lead: { platform: 'discord', id: '1200000000000000004', name: 'Dave Lead' },
  stranger: { platform: 'discord', id: '1200000000000000005', name: 'Eve Stranger' },
} as const satisfies Record<string, UserRef>;
/** The server role whose members are IT agents (carol is one through it only). */
export const AGENT_ROLE = '1400000000000000001';
const OTHER_GUILD = '1100000000000000999';

/** What points chatdesk's Discord integration at the emulator, in `mode`. */
export function discordEnv(emu: DiscordEmulator, mode: 'gateway' | 'http'): Record<string, string> {
  return {
    DISCORD_BOT_TOKEN: emu.botToken,
    DISCORD_APPLICATION_ID: emu.applicationId,
    DISCORD_PUBLIC_KEY: emu.publicKeyHex,
    DISCORD_GUILD_ID: emu.guildId,
    DISCORD_AGENT_CHANNEL: AGENTS,
    DISCORD_API_URL: emu.apiUrl,
    DISCORD_MODE: mode,
  };
}

/** The emulator with three people and two channels, and a chatdesk with only Discord on, in `mode`. */
export async function startDiscordSetup(
  mode: 'gateway' | 'http',
  label: string,
  env: Record<string, string> = {},
): Promise<{ emu: DiscordEmulator; app: Chatdesk }> {
  const emu = await startDiscordEmulator();
  for (const u of Object.values(PEOPLE))
    emu.addUser({
      id: u.id,
      username: u.name.split(' ')[0]!.toLowerCase(),
      globalName: u.name,
      ...(u.id === PEOPLE.otherAgent.id ? { roles: [AGENT_ROLE] } : {}),
    });
  emu.addChannel(AGENTS, 'it-agents');
  emu.addChannel(GENERAL, 'general');
  try {
    const app = await startTestApp({ ...discordEnv(emu, mode), CHATDESK_PLAYGROUND: 'false', ...env }, { label });
    return { emu, app };
  } catch (err) {
    await emu.close();
    throw err;
  }
}

/** What a person reads: markdown bold markers dropped, backslash escapes resolved. */
export function visible(markdown: string): string {
  return markdown.replace(/(?<!\\)\*\*/g, '').replace(/\\([^A-Za-z0-9\s])/g, '$1');
}

type Component = { type: number; style?: number; custom_id?: string; label?: string; url?: string; components?: Component[] };

function components(m: DiscordMessage): Component[] {
  return (m.components as Component[]).flatMap((row) => row.components ?? []);
}

/**
 * Drives chatdesk's Discord integration through the emulator, the way people
 * use Discord: `/ticket` interactions, the modal, card buttons and the user
 * select, delivered over the Gateway or signed to the interactions endpoint.
 * The forged cases always go to the endpoint (a Gateway has no inbound request
 * to forge); gateway mode mounts it too because a public key is configured.
 */
export function discordDriver(mode: 'gateway' | 'http'): ContractDriver {
  let emu: DiscordEmulator;
  let app: Chatdesk;
  const endpoint = () => `${app.url}/discord/interactions`;
  const { requester, agent, otherAgent, lead, stranger } = PEOPLE;

  /** Delivers an interaction; resolves with the bot's initial response once Discord has it. */
  async function deliver(payload: Obj): Promise<Obj | undefined> {
    if (mode === 'gateway') return (await sendViaGateway(emu, payload)).body as Obj | undefined;
    const res = await sendViaHttp(emu, endpoint(), payload);
    if (res.status !== 200) throw new Error(`interactions endpoint answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Obj;
  }

  /** Each button press with the bot's first response to it (a modal, a refusal, an update). */
  const presses: Array<{ user: string; first: Obj | undefined }> = [];
  /** The modals of this form the bot answered this person's presses with (interaction response type 9), on this ticket. */
  function formModals(user: UserRef, ticket: Ticket, form: TextForm): Array<{ custom_id: string }> {
    return presses
      .filter((p) => p.user === user.id && p.first?.type === 9)
      .map((p) => p.first!.data as { custom_id: string })
      .filter((m) => m.custom_id.startsWith(`${MODAL_PREFIX[form]}${ticket.id}:`));
  }

  function card(ticket: Ticket): DiscordMessage {
    const found = emu.messages(AGENTS).find((m) => visible(messageText(m)).includes(ticket.key));
    if (!found) throw new Error(`no card for ${ticket.key} in the agent channel`);
    return found;
  }

  function seen(m: DiscordMessage): SeenCard {
    const actions = components(m).flatMap((c): SeenCard['actions'] => {
      const [, action] = /^cd:([a-z]+):/.exec(c.custom_id ?? '') ?? [];
      if (c.type === 5 && action === 'assign') return ['assign'];
      return c.type === 2 && action ? [action as CardButton] : [];
    });
    return { messageId: m.id, text: visible(messageText(m)), actions };
  }

  /** A message in a DM: its callback buttons (`cd:<action>:…`) and its link buttons (style 5). */
  function privateCard(m: DiscordMessage): PrivateCard {
    const buttons = components(m).filter((c) => c.type === 2);
    return {
      messageId: m.id,
      text: visible(messageText(m)),
      actions: buttons.flatMap((c) => /^cd:([a-z0-9_]+):/.exec(c.custom_id ?? '')?.[1] ?? []),
      links: buttons.filter((c) => c.style === 5 && c.url).map((c) => ({ label: c.label ?? '', url: c.url! })),
    };
  }

  /** Field errors as the user reads them in the ephemeral reply (`- **Label**: problem`), keyed back to the modal's inputs. */
  function errorsFrom(reply: Obj | undefined, modal: { components: Component[] }): Record<string, string> {
    const data = reply?.data as Obj | undefined;
    if (reply?.type !== 4 || !data) return {};
    const byLabel = new Map(modal.components.flatMap((row) => row.components ?? []).map((c) => [c.label ?? '', c.custom_id ?? '']));
    byLabel.set('Ticket type', 'type');
    const errors: Record<string, string> = {};
    for (const line of String(data.content).split('\n')) {
      const m = /^- \*\*(.+?)\*\*: (.*)$/.exec(line);
      if (m) errors[byLabel.get(visible(m[1] as string)) ?? visible(m[1] as string)] = visible(m[2] as string);
    }
    return errors;
  }

  /** Over the Gateway: a DM typed as a reply to the ticket's confirmation (MESSAGE_CREATE with `message_reference`). */
  async function replyInThread(user: UserRef, ticket: Ticket, text: string): Promise<void> {
    const thread = ticket.requesterThread;
    if (thread?.platform !== 'discord') throw new Error(`${ticket.key} has no Discord DM thread`);
    if (thread.channelId !== emu.state.dmChannelFor(user.id).id)
      throw new Error(`${ticket.key}'s thread is in ${thread.channelId}, not in the DM with ${user.id}`);
    sendDirectMessage(emu, { userId: user.id, content: text, replyTo: thread.messageId });
  }

  return {
    platform: 'discord',
    requester,
    agent,
    otherAgent,
    lead,
    stranger,
    // An HTTP-interactions-only bot receives no messages at all: the scenario is skipped there.
    ...(mode === 'gateway'
      ? {
          replyInThread,
          directMessage: async (user: UserRef, text: string) => void sendDirectMessage(emu, { userId: user.id, content: text }),
          async react(user: UserRef, messageId: string, emoji = '🎫') {
            sendReaction(emu, { userId: user.id, channelId: GENERAL, messageId, emoji });
          },
          async replyInCardThread(user: UserRef, ticket: Ticket, text: string) {
            // The agent starts (or writes in) the thread of the card: a thread started from a message has its id.
            const cardMessage = card(ticket);
            if (!emu.state.channels.has(cardMessage.id))
              emu.state.channels.set(cardMessage.id, { id: cardMessage.id, type: 11, name: 'thread', guildId: emu.guildId, parentId: AGENTS });
            // A server message's text reaches a bot without the Message Content intent when it mentions the bot.
            sendServerMessage(emu, { userId: user.id, channelId: cardMessage.id, content: `<@${emu.state.bot.id}> ${text}` });
          },
        }
      : {}),
    async channelMessage(author, text) {
      return addChannelMessage(emu, { channelId: GENERAL, userId: author === 'bot' ? emu.state.bot.id : author.id, content: text }).id;
    },
    async messageAction(user, messageId) {
      const opened = await deliver(messageCommandInteraction(emu, { userId: user.id, channelId: GENERAL, messageId, name: 'Open a ticket' }));
      if (opened?.type !== 9) return undefined;
      const modal = opened.data as { custom_id: string; components: Component[] };
      const typed: Record<string, string> = {};
      for (const input of modal.components.flatMap((row) => row.components ?? []) as Array<Component & { value?: string }>)
        typed[input.custom_id!] = input.value ?? '';
      await deliver(modalSubmitInteraction(emu, { userId: user.id, channelId: GENERAL, customId: modal.custom_id, values: typed }));
      return { title: typed.title ?? '', description: typed.description ?? '' };
    },
    async messageThread(messageId) {
      // The bot answers in the thread started from the message (its id is the thread's).
      return emu.state.channels.has(messageId) ? emu.messages(messageId).map((m) => visible(messageText(m))) : [];
    },
    async messageLink(messageId) {
      return `https://discord.com/channels/${emu.guildId}/${GENERAL}/${messageId}`;
    },
    async start() {
      ({ emu, app } = await startDiscordSetup(mode, `discord-${mode}`, {
        CHATDESK_CONFIG: governedDesk({ agents: [agent], lead, agentGroup: { platform: 'discord', id: AGENT_ROLE } }),
      }));
      return app;
    },
    async stop() {
      await app?.stop();
      await emu?.close();
    },
    async command(user, text) {
      await deliver(commandInteraction(emu, { userId: user.id, channelId: GENERAL, text }));
    },
    async submitForm(user, values: FormValues) {
      const opened = await deliver(commandInteraction(emu, { userId: user.id, channelId: GENERAL, type: values.type }));
      if (opened?.type !== 9) throw new Error(`expected a modal as the first response, got ${JSON.stringify(opened)}`);
      const modal = opened.data as { custom_id: string; components: Component[] };
      const typed: Record<string, string> = {};
      for (const input of modal.components.flatMap((row) => row.components ?? [])) {
        const id = input.custom_id as string;
        typed[id] = id === 'title' ? values.title : id === 'description' ? (values.description ?? '') : (values.fields?.[id] ?? '');
      }
      const reply = await deliver(modalSubmitInteraction(emu, { userId: user.id, channelId: GENERAL, customId: modal.custom_id, values: typed }));
      return errorsFrom(reply, modal);
    },
    async click(user, ticket, button) {
      const message = card(ticket);
      const id = components(message).find((c) => c.type === 2 && c.custom_id === `cd:${button}:${ticket.id}`)?.custom_id;
      if (!id) throw new Error(`the card of ${ticket.key} shows no ${button} button`);
      presses.push({ user: user.id, first: await deliver(componentInteraction(emu, { userId: user.id, message, customId: id, componentType: 2 })) });
    },
    async textForms(user, ticket, form) {
      return formModals(user, ticket, form).length;
    },
    async submitTextForm(user, ticket, form, text) {
      // Without a modal of theirs, the submission a crafted client could send all the same (where the button is).
      const customId = formModals(user, ticket, form).at(-1)?.custom_id ?? `${MODAL_PREFIX[form]}${ticket.id}:en`;
      const channelId = form === 'note' ? AGENTS : emu.state.dmChannelFor(user.id).id;
      await deliver(modalSubmitInteraction(emu, { userId: user.id, channelId, customId, values: { [TEXT_FORM_FIELD[form]]: text } }));
      return undefined; // Discord cannot show an error inside a modal
    },
    async assign(user, ticket, assignee) {
      const message = card(ticket);
      const id = components(message).find((c) => c.type === 5)?.custom_id;
      if (!id) throw new Error(`the card of ${ticket.key} shows no user select`);
      await deliver(componentInteraction(emu, { userId: user.id, message, customId: id, componentType: 5, values: [assignee.id] }));
    },
    async cards(ticket) {
      return emu
        .messages(AGENTS)
        .filter((m) => visible(messageText(m)).includes(ticket.key))
        .map(seen);
    },
    async cardThread(ticket) {
      // A thread started from a message has the message's id as its channel id.
      const card = ticket.agentCards[0]?.messageId;
      return card ? emu.messages(card).map((m) => visible(messageText(m))) : [];
    },
    async privateTexts(user) {
      return emu.privateTexts(user.id).map(visible);
    },
    async privateCards(user) {
      return emu
        .messages(emu.state.dmChannelFor(user.id).id)
        .filter((m) => m.embeds.length > 0)
        .map(privateCard);
    },
    async expectedCardLink(ticket) {
      return `https://discord.com/channels/${emu.guildId}/${AGENTS}/${card(ticket).id}`;
    },
    async clickPrivate(user, messageId, button) {
      const message = emu.messages(emu.state.dmChannelFor(user.id).id).find((m) => m.id === messageId);
      const id = message && components(message).find((c) => c.type === 2 && c.custom_id?.startsWith(`cd:${button}:`))?.custom_id;
      if (!message || !id) throw new Error(`no ${button} button on ${messageId} in the DM`);
      presses.push({ user: user.id, first: await deliver(componentInteraction(emu, { userId: user.id, message, customId: id, componentType: 2 })) });
    },
    async forged(kind: Forgery, user, text) {
      const res = await sendViaHttp(emu, endpoint(), commandInteraction(emu, { userId: user.id, channelId: GENERAL, text }), kind);
      return res.status;
    },
    async fromOtherWorkspace(user, text) {
      const payload = commandInteraction(emu, { userId: user.id, channelId: GENERAL, text, guildId: OTHER_GUILD });
      if (mode === 'http') return (await sendViaHttp(emu, endpoint(), payload)).status;
      emu.gateway.dispatch('INTERACTION_CREATE', payload);
      return undefined;
    },
    // REST calls chatdesk made (the emulator also logs the endpoint's HTTP answers, `via: 'http'`).
    outboundCalls: () => emu.calls.filter((c) => c.via !== 'http').length,
    async deliverTwice(user, text) {
      const payload = commandInteraction(emu, { userId: user.id, channelId: GENERAL, text });
      await deliver(payload);
      if (mode === 'http') await sendViaHttp(emu, endpoint(), payload);
      // Over the Gateway a replayed dispatch gets no second callback: the first one answered it.
      else emu.gateway.dispatch('INTERACTION_CREATE', payload);
    },
    throttleNextPost() {
      emu.failNext('createMessage', { status: 429, retryAfterSec: 1 });
    },
    blockDirectMessages(user) {
      emu.blockDirectMessages(user.id);
    },
    schemaViolations() {
      return emu?.schemaViolations ?? [];
    },
  };
}
