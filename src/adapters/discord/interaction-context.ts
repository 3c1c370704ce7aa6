import type { APIInteraction, APIUser } from 'discord.js';
import { type Locale, localeForText } from '../../core/i18n';
import type { UserRef } from '../../domain/ticket/ticket';

/** A Discord user as chatdesk stores them: the name shown is the server nickname, else the display name, else the username. */
export function discordUser(user: APIUser, nick?: string | null): UserRef {
  return { platform: 'discord', id: user.id, name: nick || user.global_name || user.username };
}

/** Who clicked or typed: `member` in a server, `user` in a DM. */
export function interactionUser(i: APIInteraction): UserRef {
  const user = i.member?.user ?? i.user;
  if (!user) return { platform: 'discord', id: 'unknown' };
  return discordUser(user, i.member?.nick);
}

/** Chinese for Chinese text or a Chinese Discord client, else the desk's language. */
export function interactionLocale(i: APIInteraction, text: string, fallback: Locale): Locale {
  if (localeForText(text, fallback) === 'zh') return 'zh';
  return 'locale' in i && typeof i.locale === 'string' && i.locale.startsWith('zh') ? 'zh' : fallback;
}
