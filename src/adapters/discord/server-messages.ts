import type { GatewayMessageCreateDispatchData, GatewayMessageReactionAddDispatchData } from 'discord.js';
import { isMarkedForRequester } from '../../core/card-thread-replies';
import type { HelpDesk } from '../../core/help-desk';
import { localeForText } from '../../core/i18n';
import type { IntakePipeline } from '../../core/intake/intake-pipeline';
import type { Logger } from '../../logger';
import type { DiscordReplyRoute } from './discord-replier';
import { discordUser } from './interaction-context';

/** `<@123>` / `<@!123>` before the text: a line that mentions the bot (the only server text Discord shows a bot without the Message Content intent). */
const LEADING_MENTION = /^\s*<@!?\d+>\s*/;

/**
 * What the Gateway brings from server channels: an agent's `>>` line in a
 * ticket card's thread (a thread started from a message has that message's id,
 * so the thread is the card), and the desk's ticket emoji on a message. Stored
 * in the inbox as they arrive (the Gateway has no acknowledgement); answers go
 * by DM, as there is no interaction to answer.
 */
export function serverMessageHandlers(deps: { desk: HelpDesk; intake: IntakePipeline; logger: Logger }) {
  const log = deps.logger.child({ component: 'discord-server' });
  const store = (what: string, event: Parameters<IntakePipeline['submit']>[0]) =>
    deps.intake.submit(event).catch((err: unknown) => log.error({ err, event: event.id }, `${what} could not be stored`));
  return {
    async threadLine(m: GatewayMessageCreateDispatchData): Promise<void> {
      if (!m.guild_id || m.author.bot) return;
      const text = (m.content ?? '').replace(LEADING_MENTION, '');
      if (!isMarkedForRequester(text)) return;
      const reply: DiscordReplyRoute = { via: 'direct', userId: m.author.id };
      await store('a card thread line', {
        id: `discord:msg:${m.id}`,
        platform: 'discord',
        user: discordUser(m.author, m.member?.nick),
        locale: localeForText(text, deps.desk.desk.locale),
        request: { kind: 'card_reply', text, card: m.channel_id },
        reply,
      });
    },

    async reaction(r: GatewayMessageReactionAddDispatchData): Promise<void> {
      const wanted = deps.desk.desk.ticketEmoji.discord;
      if (r.member?.user?.bot || (r.emoji.name !== wanted && r.emoji.id !== wanted)) return;
      const reply: DiscordReplyRoute = { via: 'direct', userId: r.user_id };
      // One request per message (not per reaction): a second ticket emoji on it is the same request.
      await store('a ticket emoji', {
        id: `discord:reaction:${r.channel_id}:${r.message_id}`,
        platform: 'discord',
        user: r.member?.user ? discordUser(r.member.user, r.member.nick) : { platform: 'discord', id: r.user_id },
        locale: deps.desk.desk.locale,
        request: { kind: 'from_message', via: 'reaction', source: { channelId: r.channel_id, messageId: r.message_id } },
        reply,
      });
    },
  };
}
