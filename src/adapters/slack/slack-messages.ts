import type { App } from '@slack/bolt';
import { localeForText } from '../../core/i18n';
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
    if (event.channel_type !== 'im' || event.subtype !== undefined || !('user' in event) || !event.user || fromBot) return;
    const text = typeof event.text === 'string' ? event.text : '';
    if (!text.trim()) return;
    const eventId = (body as { event_id?: string }).event_id ?? event.ts;
    const threadTs = 'thread_ts' in event && typeof event.thread_ts === 'string' ? event.thread_ts : undefined;
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
