import type { App, BlockAction, ButtonAction, UsersSelectAction } from '@slack/bolt';
import { feedbackForError } from '../../core/actor-feedback';
import { ChatdeskError } from '../../domain/errors';
import type { TicketAction } from '../../domain/ticket/transitions';
import { ACTION_PREFIX, ticketIdFromBlockId } from './card-blocks';
import type { SlackAdapter } from './slack-adapter';
import type { SlackListenerDeps } from './slack-commands';

const BUTTON_ACTIONS = ['claim', 'resolve', 'escalate', 'reopen'] as const;

/** Card buttons and the assign picker. Ack at once, then act; failures are told to the clicker only. */
export function registerSlackActions(app: App, adapter: SlackAdapter, { desk, deliveries, logger }: SlackListenerDeps): void {
  const log = logger.child({ component: 'slack-actions' });

  const handle = async (body: BlockAction, ticketId: string | undefined, action: TicketAction) => {
    if (!(await deliveries.firstDelivery(`slack:action:${body.trigger_id}`))) return;
    const actor = await adapter.user(body.user.id, body.user.name ?? body.user.username);
    const channelId = body.channel?.id ?? body.container?.channel_id;
    try {
      if (!ticketId) throw new ChatdeskError('chatdesk_ticket_not_found', 'action without a ticket id');
      await desk.act(ticketId, action, actor);
    } catch (err) {
      const feedback = feedbackForError(err, desk.desk.locale, ticketId ?? '');
      if (feedback.expected) log.info({ ticket: ticketId, action: action.kind, reason: feedback.text }, 'action refused');
      else log.error({ err, ticket: ticketId, action: action.kind }, 'action failed');
      if (channelId) await adapter.postEphemeral(channelId, actor.id, feedback.text).catch((e: unknown) => log.warn({ err: e }, 'ephemeral feedback failed'));
    }
  };

  for (const kind of BUTTON_ACTIONS) {
    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: `${ACTION_PREFIX}${kind}` }, async ({ ack, body, action }) => {
      await ack();
      await handle(body, action.value, { kind });
    });
  }

  app.action<BlockAction<UsersSelectAction>>({ type: 'block_actions', action_id: `${ACTION_PREFIX}assign` }, async ({ ack, body, action }) => {
    await ack();
    const assignee = await adapter.user(action.selected_user);
    await handle(body, ticketIdFromBlockId(action.block_id), { kind: 'assign', assignee });
  });
}
