import type { GatewayMessageCreateDispatchData } from 'discord.js';
import { parseTextCommand } from '../../core/commands';
import type { HelpDesk } from '../../core/help-desk';
import { localeForText, t } from '../../core/i18n';
import { quickDraft } from '../../core/quick-draft';
import type { DeliveryLog } from '../../domain/ticket/ticket.repository.port';
import type { Logger } from '../../logger';
import type { DiscordAdapter } from './discord-adapter';
import { discordUser } from './interaction-context';

/**
 * Text commands typed in a DM with the bot (`ticket printer jammed`), and
 * requesters' answers on their tickets, which arrive as MESSAGE_CREATE over the Gateway. Server messages are not read
 * (that needs the privileged Message Content intent); `/ticket` covers them.
 */
export function directMessageHandler(deps: { desk: HelpDesk; deliveries: DeliveryLog; adapter: DiscordAdapter; logger: Logger }) {
  const log = deps.logger.child({ component: 'discord-dm' });
  return async (m: GatewayMessageCreateDispatchData): Promise<void> => {
    if (m.author.bot || m.guild_id) return;
    const parsed = parseTextCommand(m.content ?? '');
    if (!(await deps.deliveries.firstDelivery(`discord:msg:${m.id}`))) return;
    const locale = localeForText(m.content, deps.desk.desk.locale);
    const reply = (text: string) => deps.adapter.post({ channelId: m.channel_id, threadId: m.id }, { text });
    const user = discordUser(m.author, m.member?.nick);
    if (!parsed) {
      // Not a command: an answer on one of their tickets (replying to the bot's message, naming the key, or their only open one).
      const answer = await deps.desk.requesterMessage(user, m.content ?? '', m.message_reference?.message_id);
      return void (await reply((answer ?? deps.desk.help(locale)).text));
    }
    if (parsed.kind !== 'form' && parsed.kind !== 'quick') return void (await reply((await deps.desk.runCommand(parsed, user, locale)).text));
    const draft = parsed.kind === 'quick' ? quickDraft(parsed.text, deps.desk.desk) : undefined;
    if (!draft) return void (await reply(deps.desk.help(locale).text));
    try {
      const result = await deps.desk.openTicket(draft, user);
      await reply(result.ok ? t(locale, 'command.created', { key: result.ticket.key }) : deps.desk.help(locale).text);
    } catch (err) {
      log.error({ err, user: user.id }, 'opening a ticket from a DM failed');
      await reply(t(locale, 'command.failed', { text: String(draft.title) }));
    }
  };
}
