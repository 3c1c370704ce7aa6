import type { App, MessageShortcut } from '@slack/bolt';
import { COMMANDS } from '../../core/commands';
import { ticketForm } from '../../core/forms/ticket-form';
import { localeForText, t } from '../../core/i18n';
import { draftFromMessage, draftFromText } from '../../core/quick-draft';
import { formToModal } from './form-modal';
import { unescapeSlack } from './mrkdwn';
import type { SlackListenerDeps } from './slack-commands';
import type { SlackReplyRoute } from './slack-replier';

/** The message shortcut's callback id (manifests/slack.json names it; src/manifests/slack-manifest.ts writes it). */
export const MESSAGE_SHORTCUT_ID = COMMANDS.fromMessage.id;

/**
 * Message → ticket on Slack. The message shortcut opens the ticket form filled
 * with the message's text and link (its submission is stored like any form,
 * with the message as its source); the desk's ticket emoji (`reaction_added`)
 * stores a request the core works on by reading the message. Either way the
 * message's author is the requester and the clicker its reporter.
 */
export function registerSlackMessageIntake(app: App, { desk, intake, logger }: SlackListenerDeps): void {
  app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: MESSAGE_SHORTCUT_ID }, async ({ shortcut, ack, client }) => {
    const message = shortcut.message;
    const text = unescapeSlack(typeof message.text === 'string' ? message.text : '');
    const author = typeof message.user === 'string' ? message.user : undefined;
    const channelId = shortcut.channel.id;
    const threadTs = typeof message.thread_ts === 'string' && message.thread_ts !== message.ts ? message.thread_ts : undefined;
    const fromBot = !!message.bot_id || !author;
    const locale = localeForText(text, desk.desk.locale);
    if (fromBot || !text.trim()) {
      // Nothing to put in a form: stored like any request, and the core tells the clicker why no ticket opens.
      const reply: SlackReplyRoute = { via: 'ephemeral', channelId, userId: shortcut.user.id };
      // A failure to store throws: Slack is answered 500 and shows the person that the shortcut failed.
      await intake.submit({
        id: `slack:shortcut:${shortcut.trigger_id}`,
        platform: 'slack',
        user: { platform: 'slack', id: shortcut.user.id },
        locale,
        request: {
          kind: 'from_message',
          via: 'shortcut',
          source: {
            channelId,
            messageId: message.ts,
            ...(threadTs ? { threadId: threadTs } : {}),
            author: { platform: 'slack', id: author ?? String(message.bot_id ?? '') },
            text,
            fromBot,
          },
        },
        reply,
      });
      await ack();
      return;
    }
    // The form opens at once (the trigger expires about 3 s after the click); the link is one quick call.
    await ack();
    const link = await client.chat
      .getPermalink({ channel: channelId, message_ts: message.ts })
      .then((r) => r.permalink)
      .catch((err: unknown) => {
        logger.warn({ err }, 'no permalink for the message a ticket is opened from');
        return undefined;
      });
    const sourceLine = link ? t(desk.desk.locale, 'fromMessage.source', { link }) : undefined;
    const form = ticketForm(desk.desk, locale, { title: draftFromText(text).title, description: draftFromMessage(text, sourceLine).description });
    const source = { c: channelId, m: message.ts, a: author, ...(threadTs ? { t: threadTs } : {}), ...(link ? { l: link } : {}) };
    await client.views.open({ trigger_id: shortcut.trigger_id, view: formToModal(form, { channelId, source }) });
  });

  app.event('reaction_added', async ({ event }) => {
    if (event.reaction !== desk.desk.ticketEmoji.slack || event.item.type !== 'message') return;
    const { channel, ts } = event.item;
    const reply: SlackReplyRoute = { via: 'ephemeral', channelId: channel, userId: event.user };
    // One request per message (not per reaction): a second ticket emoji on it, or a redelivery, is the same request.
    await intake.submit({
      id: `slack:reaction:${channel}:${ts}`,
      platform: 'slack',
      user: { platform: 'slack', id: event.user },
      locale: desk.desk.locale,
      request: { kind: 'from_message', via: 'reaction', source: { channelId: channel, messageId: ts } },
      reply,
    });
  });
}
