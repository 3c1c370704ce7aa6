import type { App, BlockAction, ButtonAction, UsersSelectAction } from '@slack/bolt';
import { feedbackForError } from '../../core/actor-feedback';
import { CARD_ACTIONS, type HelpDesk } from '../../core/help-desk';
import { ChatdeskError } from '../../domain/errors';
import type { UserRef } from '../../domain/ticket/ticket';
import { ACTION_PREFIX, LINK_ACTION_PREFIX, ticketIdFromBlockId } from './card-blocks';
import type { SlackAdapter } from './slack-adapter';
import type { SlackListenerDeps } from './slack-commands';

type Act = (desk: HelpDesk, ticketId: string, actor: UserRef) => Promise<{ reply?: { text: string } }>;

/**
 * Card buttons (the agent card and the escalation DM) and the assign picker.
 * Ack at once, then act; replies and failures are told to the clicker only.
 */
export function registerSlackActions(app: App, adapter: SlackAdapter, { desk, deliveries, logger }: SlackListenerDeps): void {
  const log = logger.child({ component: 'slack-actions' });

  const handle = async (body: BlockAction, ticketId: string | undefined, kind: string, act: Act) => {
    if (!(await deliveries.firstDelivery(`slack:action:${body.trigger_id}`))) return;
    const actor = await adapter.user(body.user.id, body.user.name ?? body.user.username);
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const tell = async (text: string) => {
      if (channelId) await adapter.postEphemeral(channelId, actor.id, text).catch((e: unknown) => log.warn({ err: e }, 'ephemeral feedback failed'));
    };
    try {
      if (!ticketId) throw new ChatdeskError('chatdesk_ticket_not_found', 'action without a ticket id');
      const { reply } = await act(desk, ticketId, actor);
      if (reply) await tell(reply.text);
    } catch (err) {
      const feedback = feedbackForError(err, desk.desk.locale, ticketId ?? '');
      if (feedback.expected) log.info({ ticket: ticketId, action: kind, reason: feedback.text }, 'action refused');
      else log.error({ err, ticket: ticketId, action: kind }, 'action failed');
      await tell(feedback.text);
    }
  };

  for (const kind of CARD_ACTIONS) {
    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: `${ACTION_PREFIX}${kind}` }, async ({ ack, body, action }) => {
      await ack();
      await handle(body, action.value, kind, (d, id, actor) => d.cardAction(kind, id, actor));
    });
  }

  // A link button opens its URL in Slack; the block_actions Slack sends as well only needs its ack.
  app.action({ type: 'block_actions', action_id: new RegExp(`^${LINK_ACTION_PREFIX}`) }, async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction<UsersSelectAction>>({ type: 'block_actions', action_id: `${ACTION_PREFIX}assign` }, async ({ ack, body, action }) => {
    await ack();
    const assignee = await adapter.user(action.selected_user);
    await handle(body, ticketIdFromBlockId(action.block_id), 'assign', async (d, id, actor) => {
      await d.act(id, { kind: 'assign', assignee }, actor);
      return {};
    });
  });
}
