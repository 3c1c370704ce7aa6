import type { GatewayMessageCreateDispatchData } from 'discord.js';
import { parseTextCommand } from '../../core/commands';
import type { HelpDesk } from '../../core/help-desk';
import { localeForText } from '../../core/i18n';
import type { IntakePipeline } from '../../core/intake/intake-pipeline';
import { intakeRefusal } from '../../core/intake/refusal';
import { quickDraft } from '../../core/quick-draft';
import type { Logger } from '../../logger';
import type { DiscordAdapter } from './discord-adapter';
import type { DiscordReplyRoute } from './discord-replier';
import { discordUser } from './interaction-context';

/**
 * Text commands typed in a DM with the bot (`ticket printer jammed`), and
 * requesters' answers on their tickets, which arrive as MESSAGE_CREATE over the Gateway. Server messages are not read
 * (that needs the privileged Message Content intent); `/ticket` covers them.
 * Stored in the inbox as they arrive (the Gateway has no acknowledgement).
 */
export function directMessageHandler(deps: { desk: HelpDesk; intake: IntakePipeline; adapter: DiscordAdapter; logger: Logger }) {
  const log = deps.logger.child({ component: 'discord-dm' });
  return async (m: GatewayMessageCreateDispatchData): Promise<void> => {
    if (m.author.bot || m.guild_id) return;
    const text = m.content ?? '';
    const locale = localeForText(text, deps.desk.desk.locale);
    const parsed = parseTextCommand(text);
    const reply = (answer: string) => deps.adapter.post({ channelId: m.channel_id, threadId: m.id }, { text: answer });
    // What creates nothing is answered at once; a line that needs the form gets help (a DM cannot open a modal).
    if (parsed?.kind === 'help' || parsed?.kind === 'form' || (parsed?.kind === 'quick' && !quickDraft(parsed.text, deps.desk.desk))) {
      return void (await reply(deps.desk.help(locale).text));
    }
    const route: DiscordReplyRoute = { via: 'dm', channelId: m.channel_id, messageId: m.id };
    const threadId = m.message_reference?.message_id;
    try {
      await deps.intake.submit({
        id: `discord:msg:${m.id}`,
        platform: 'discord',
        user: discordUser(m.author, m.member?.nick),
        locale,
        request: { kind: 'message', text, ...(threadId ? { threadId } : {}) },
        reply: route,
      });
    } catch (err) {
      log.error({ err, user: m.author.id }, 'a direct message could not be stored');
      await reply(intakeRefusal(err, locale).text).catch(() => undefined);
    }
  };
}
