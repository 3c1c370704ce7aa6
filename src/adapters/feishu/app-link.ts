export const FEISHU_APP_LINKS = 'https://applink.feishu.cn';
const LARK_APP_LINKS = 'https://applink.larksuite.com';

/** AppLink host for the API the bot uses: the Lark client opens applink.larksuite.com, the Feishu client applink.feishu.cn. */
export function appLinkBase(apiUrl: string): string {
  return /(^|\.)larksuite\.com$/i.test(new URL(apiUrl).hostname) ? LARK_APP_LINKS : FEISHU_APP_LINKS;
}

/**
 * The documented AppLink that opens a chat in the client (AppLink protocol,
 * "open a chat page": `client/chat/open?openChatId=oc_…`). Chat level on
 * purpose: a link to one message needs a message link token from a further API
 * call, while the chat opens where the card was posted.
 */
export function chatAppLink(base: string, chatId: string): string {
  return `${base}/client/chat/open?${new URLSearchParams({ openChatId: chatId })}`;
}
