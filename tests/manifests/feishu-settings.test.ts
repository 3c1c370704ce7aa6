/** Feishu console settings: the events, the card callback and the bot menu the adapter handles, with the scopes it needs. */
import { MENU_NEW_TICKET } from '../../src/adapters/feishu/feishu-commands';
import { parseTextCommand } from '../../src/core/commands';
import { FEISHU_MENU_NEW_TICKET, feishuSettings } from '../../src/manifests/feishu-settings';

describe('Feishu settings', () => {
  const s = feishuSettings('https://desk.acme.test/base/') as Record<string, any>;

  it('subscribes to messages to the bot and the bot menu, at the events URL', () => {
    expect(s.events.subscriptions).toEqual(expect.arrayContaining(['im.message.receive_v1', 'application.bot.menu_v6']));
    expect(s.events.request_url).toBe('https://desk.acme.test/base/feishu/events');
  });

  it('sends card button callbacks to the card URL', () => {
    expect(s.card.callback_url).toBe('https://desk.acme.test/base/feishu/card');
  });

  it('has a bot menu item with the event key the adapter opens the form on', () => {
    expect(FEISHU_MENU_NEW_TICKET).toBe(MENU_NEW_TICKET);
    expect(s.bot.menu.map((m: { event_key: string }) => m.event_key)).toEqual([MENU_NEW_TICKET]);
  });

  it('lists text commands the bot parses', () => {
    for (const text of s.bot.text_commands as string[]) expect(parseTextCommand(text.replace(' <text>', ' printer jammed'))).toBeDefined();
  });

  it('asks for the scopes to receive DMs and @mentions, send and update messages, and read names', () => {
    expect(s.scopes).toEqual(
      expect.arrayContaining([
        'im:message.p2p_msg:readonly',
        'im:message.group_at_msg:readonly',
        'im:message:send_as_bot',
        'im:message:update',
        'contact:user.base:readonly',
      ]),
    );
    expect(new Set(s.scopes).size).toBe(s.scopes.length);
  });
});
