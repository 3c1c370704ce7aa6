import type { APIInteraction } from 'discord.js';
import { InteractionType } from 'discord.js';
import type { Logger } from '../../logger';
import type { DiscordAdapter } from './discord-adapter';

/**
 * Workspace binding on Discord: with DISCORD_GUILD_ID set, an interaction
 * from another server is refused, and one without a server (a DM) only from
 * a member of the bound server (looked up, cached a minute). Checked before
 * any handler runs and before anything is stored. Unset: every server the
 * bot is in is served (a warning at start says so).
 */
export function guildBinding(guildId: string | undefined, adapter: DiscordAdapter, logger: Logger) {
  const log = logger.child({ component: 'discord-binding' });
  if (!guildId) log.warn({}, 'workspace binding is off: interactions from any server the bot is in are accepted (set DISCORD_GUILD_ID)');
  const member = async (userId: string | undefined): Promise<boolean> => !!userId && (await adapter.guildMember(userId)) !== undefined;
  return {
    async interaction(i: APIInteraction): Promise<boolean> {
      if (!guildId || i.type === InteractionType.Ping) return true;
      const ok = i.guild_id ? i.guild_id === guildId : await member(i.user?.id);
      if (!ok) log.warn({ guild: i.guild_id ?? 'dm', user: i.member?.user.id ?? i.user?.id }, 'Discord interaction from another server refused');
      return ok;
    },
    async directMessage(userId: string): Promise<boolean> {
      if (!guildId) return true;
      const ok = await member(userId);
      if (!ok) log.warn({ user: userId }, 'Discord DM from someone outside the server refused');
      return ok;
    },
  };
}
