import { COMMANDS } from '../core/commands';
import { endpoint, ROUTES } from './endpoints';
import { PERMISSIONS } from './permissions';

/** The bot menu item's event key (the Feishu adapter opens the form on it). */
export const FEISHU_MENU_NEW_TICKET = 'new_ticket';

/**
 * Feishu / Lark has no importable app manifest: these are the values to enter
 * in the developer console (events, card callback, bot menu, scopes).
 */
export function feishuSettings(publicUrl: string): Record<string, unknown> {
  return {
    events: {
      request_url: endpoint(publicUrl, ROUTES.feishuEvents),
      subscriptions: [...PERMISSIONS.feishu.events],
      encryption: 'set an Encrypt Key in the console and the same value in FEISHU_ENCRYPT_KEY',
    },
    card: { callback_url: endpoint(publicUrl, ROUTES.feishuCard) },
    bot: {
      menu: [{ name: { en: COMMANDS.description.en, zh: COMMANDS.description.zh }, event_key: FEISHU_MENU_NEW_TICKET }],
      text_commands: [
        ...COMMANDS.aliases.map((a) => `${a} <text>`),
        ...Object.values(COMMANDS.sub).flatMap((s) => s.words.map((w) => `${COMMANDS.aliases[0]} ${w}`)),
      ],
    },
    scopes: [...PERMISSIONS.feishu.scopes],
  };
}
