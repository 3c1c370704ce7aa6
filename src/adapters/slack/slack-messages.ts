import type { App } from '@slack/bolt';
import { parseTextCommand } from '../../core/commands';
import { localeForText } from '../../core/i18n';
import type { SlackAdapter } from './slack-adapter';
import type { SlackListenerDeps } from './slack-commands';

/**
 * Messages people write to the bot in its DM (`message.im`): a reply in a
 * ticket's thread (or naming its key) goes to that ticket — resuming it when it
 * waits on them — and anything else gets the help text. Bot messages, edits
 * and other subtypes are ignored; a redelivered event is handled once.
 */
export function registerSlackMessages(app: App, adapter: SlackAdapter, { desk, deliveries, logger }: SlackListenerDeps): void {
  const log = logger.child({ component: 'slack-messages' });
  app.event('message', async ({ event, body }) => {
    const fromBot = 'bot_id' in event && !!event.bot_id;
    if (event.channel_type !== 'im' || event.subtype !== undefined || !('user' in event) || !event.user || fromBot) return;
    const text = typeof event.text === 'string' ? event.text : '';
    const eventId = (body as { event_id?: string }).event_id ?? event.ts;
    if (!(await deliveries.firstDelivery(`slack:event:${eventId}`))) return;
    const threadTs = 'thread_ts' in event && typeof event.thread_ts === 'string' ? event.thread_ts : undefined;
    const locale = localeForText(text, desk.desk.locale);
    const user = await adapter.user(event.user);
    try {
      const command = parseTextCommand(text);
      const answer =
        command && command.kind !== 'form' && command.kind !== 'quick'
          ? await desk.runCommand(command, user, locale)
          : ((await desk.requesterMessage(user, text, threadTs)) ?? desk.help(locale));
      await adapter.post({ channelId: event.channel, threadId: threadTs ?? event.ts }, answer);
    } catch (err) {
      log.error({ err, user: event.user }, 'handling a direct message failed');
    }
  });
}
