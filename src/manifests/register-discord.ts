import type { DeskConfig } from '../config/desk-config.schema';
import { discordCommands } from './discord-commands';

export interface DiscordRegistration {
  apiUrl: string;
  applicationId: string;
  botToken: string;
  /** One server (commands show at once) instead of global registration. */
  guildId?: string;
}

/**
 * PUTs the command list (bulk overwrite): to one server when a guild id is
 * given, else globally. Returns what Discord answered; never includes the token.
 */
export async function registerDiscordCommands(reg: DiscordRegistration, desk: DeskConfig): Promise<{ url: string; status: number; body: string }> {
  const app = encodeURIComponent(reg.applicationId);
  const route = reg.guildId ? `/applications/${app}/guilds/${encodeURIComponent(reg.guildId)}/commands` : `/applications/${app}/commands`;
  const url = `${reg.apiUrl.replace(/\/+$/, '')}/v10${route}`;
  const res = await fetch(url, {
    method: 'PUT',
    headers: { authorization: `Bot ${reg.botToken}`, 'content-type': 'application/json', 'user-agent': 'DiscordBot (chatdesk, 1)' },
    body: JSON.stringify(discordCommands(desk)),
  });
  return { url, status: res.status, body: await res.text() };
}
