/** A link button in the neutral card, as each messenger renders it, and the message links the adapters build locally. */
import { cardToComponents } from '../../../src/adapters/discord/card-embed';
import { appLinkBase, chatAppLink } from '../../../src/adapters/feishu/app-link';
import { cardToLark } from '../../../src/adapters/feishu/card-json';
import { cardToBlocks } from '../../../src/adapters/slack/card-blocks';
import { cardToAdaptive } from '../../../src/adapters/teams/adaptive-card';
import { messageDeepLink } from '../../../src/adapters/teams/deep-link';
import { type Card, cardToText } from '../../../src/core/cards/card';
import { checkAdaptiveCard } from '../../emulators/teams/schema';

const URL_ = 'https://example.test/ticket?id=1';
const card: Card = {
  title: 'T-1001 · Payroll export fails',
  fields: [],
  actions: [
    { id: 'acknowledge', label: 'Acknowledge', value: 'tk1', style: 'primary' },
    { id: 'open_ticket', label: 'Open ticket', url: URL_ },
  ],
};

describe('link buttons', () => {
  it('Slack: a button with url and no value, under the link action prefix (its click is only acked)', () => {
    const actions = cardToBlocks(card).find((b) => b.type === 'actions');
    expect(actions).toMatchObject({ block_id: 'chatdesk:ticket:tk1' });
    const [ack, link] = actions?.type === 'actions' ? actions.elements : [];
    expect(ack).toMatchObject({ action_id: 'chatdesk:acknowledge', value: 'tk1' });
    expect(link).toEqual({
      type: 'button',
      action_id: 'chatdesk:link:open_ticket',
      text: { type: 'plain_text', text: 'Open ticket', emoji: false },
      url: URL_,
    });
  });

  it('Teams: Action.OpenUrl, valid Adaptive Card 1.5', () => {
    const adaptive = cardToAdaptive(card);
    expect(adaptive.actions).toContainEqual({ type: 'Action.OpenUrl', title: 'Open ticket', url: URL_ });
    expect(checkAdaptiveCard(adaptive)).toEqual([]);
  });

  it('Discord: a Link-style (5) button with url and no custom_id', () => {
    const [row] = cardToComponents(card);
    expect(row?.components[1]).toEqual({ type: 2, style: 5, label: 'Open ticket', url: URL_ });
  });

  it('Feishu: a button with an open_url behavior and no callback', () => {
    const link = cardToLark(card, 'x').body.elements.find((el) => el.element_id === 'btn_open_ticket');
    expect(link).toMatchObject({ tag: 'button', behaviors: [{ type: 'open_url', default_url: URL_ }] });
  });

  it('text-only surfaces get the link appended', () => {
    expect(cardToText(card)).toBe(`T-1001 · Payroll export fails\n\nOpen ticket: ${URL_}`);
  });
});

describe('message links built without a platform call', () => {
  it('Teams: the channel-message deep link, and the chat form outside channels', () => {
    const channel = '19:abc@thread.tacv2';
    expect(messageDeepLink({ platform: 'teams', channelId: channel, messageId: '1700000000001' }, { tenantId: 'ten', groupId: 'grp' })).toBe(
      'https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1700000000001?tenantId=ten&groupId=grp&parentMessageId=1700000000001',
    );
    expect(messageDeepLink({ platform: 'teams', channelId: channel, messageId: '1700000000009', threadId: '1700000000001' })).toBe(
      'https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1700000000009?parentMessageId=1700000000001',
    );
    expect(messageDeepLink({ platform: 'teams', channelId: '19:meeting@thread.v2', messageId: '17' })).toBe(
      'https://teams.microsoft.com/l/message/19:meeting@thread.v2/17?context=%7B%22contextType%22%3A%22chat%22%7D',
    );
  });

  it('Feishu / Lark: the AppLink that opens the chat, on the client of the API in use', () => {
    expect(chatAppLink(appLinkBase('https://open.feishu.cn'), 'oc_1')).toBe('https://applink.feishu.cn/client/chat/open?openChatId=oc_1');
    expect(chatAppLink(appLinkBase('https://open.larksuite.com/'), 'oc_1')).toBe('https://applink.larksuite.com/client/chat/open?openChatId=oc_1');
  });
});
