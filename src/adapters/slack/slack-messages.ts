import type { App } from '@slack/bolt';
import { localeForText } from '../../core/i18n';
import { isMarkedForRequester } from '../../core/card-thread-replies';
import { unescapeSlack } from './mrkdwn';
import type { SlackListenerDeps } from './slack-commands';
import type { SlackReplyRoute } from './slack-replier';

/**
 * Messages people write to the bot in its DM (`message.im`): stored, then
 * acknowledged (the app answers Slack after the listeners, see slack-app.ts);
 * the core routes a reply to its ticket or answers a typed command, and the
 * answer goes in the message's thread. Bot messages, edits and other subtypes
 * are ignored; a redelivered event is stored once.
 */
export function registerSlackMessages(app: App, { desk, intake }: SlackListenerDeps): void {
  app.event('message', async ({ event, body }) => {
    const fromBot = 'bot_id' in event && !!event.bot_id;
    if (event.subtype !== undefined || !('user' in event) || !event.user || fromBot) return;
    const eventId = (body as { event_id?: string }).event_id ?? event.ts;
    const threadTs = 'thread_ts' in event && typeof event.thread_ts === 'string' ? event.thread_ts : undefined;
    if (event.channel_type === 'channel' || event.channel_type === 'group') {
      // A reply in a channel thread (a ticket card's): only a line marked for the requester is stored; the rest stays in Slack.
      const line = unescapeSlack(typeof event.text === 'string' ? event.text : '');
      if (!threadTs || threadTs === event.ts || !isMarkedForRequester(line)) return;
      await intake.submit({
        id: `slack:event:${eventId}`,
        platform: 'slack',
        user: { platform: 'slack', id: event.user },
        locale: localeForText(line, desk.desk.locale),
        request: { kind: 'card_reply', text: line, card: threadTs },
        reply: { via: 'ephemeral', channelId: event.channel, userId: event.user } satisfies SlackReplyRoute,
      });
      return;
    }
    if (event.channel_type !== 'im') return;
    const text = typeof event.text === 'string' ? event.text : '';
    if (!text.trim()) return;
    const reply: SlackReplyRoute = { via: 'thread', channelId: event.channel, threadTs: threadTs ?? event.ts, userId: event.user };
    // A failure to store throws: Slack gets a 500 and redelivers the event later.
    await intake.submit({
      id: `slack:event:${eventId}`,
      platform: 'slack',
      user: { platform: 'slack', id: event.user },
      locale: localeForText(text, desk.desk.locale),
      request: { kind: 'message', text, ...(threadTs ? { threadId: threadTs } : {}) },
      reply,
    });
  });
}
