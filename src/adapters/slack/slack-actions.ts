import type { App, BlockAction, ButtonAction, UsersSelectAction } from '@slack/bolt';
import { CARD_ACTIONS } from '../../core/help-desk';
import type { IntakeRequest } from '../../core/intake/intake-event';
import { isTicketTextForm } from '../../core/forms/ticket-text-forms';
import { ACTION_PREFIX, LINK_ACTION_PREFIX, ticketIdFromBlockId } from './card-blocks';
import { type SlackListenerDeps, submitThenAck } from './slack-commands';
import type { SlackReplyRoute } from './slack-replier';

/**
 * Card buttons (the agent card and the escalation DM) and the assign picker:
 * stored, then acknowledged; replies and refusals are told to the clicker only.
 */
export function registerSlackActions(app: App, { desk, intake }: SlackListenerDeps): void {
  const submit = (body: BlockAction, request: IntakeRequest, ack: () => Promise<void>) => {
    const reply: SlackReplyRoute = {
      via: 'ephemeral',
      channelId: body.channel?.id ?? body.container?.channel_id,
      userId: body.user.id,
      // Note and "Add a comment" open their forms from the click (once the core allowed it).
      ...(request.kind === 'button' && isTicketTextForm(request.action) ? { triggerId: body.trigger_id } : {}),
    };
    return submitThenAck(
      intake,
      {
        id: `slack:action:${body.trigger_id}`,
        platform: 'slack',
        user: { platform: 'slack', id: body.user.id, ...(body.user.name || body.user.username ? { name: body.user.name ?? body.user.username } : {}) },
        locale: desk.desk.locale,
        request,
        reply,
      },
      ack,
    );
  };

  for (const kind of CARD_ACTIONS) {
    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: `${ACTION_PREFIX}${kind}` }, async ({ ack, body, action }) => {
      await submit(body, { kind: 'button', action: kind, ticketId: action.value ?? '' }, ack);
    });
  }

  // A link button opens its URL in Slack; the block_actions Slack sends as well only needs its ack.
  app.action({ type: 'block_actions', action_id: new RegExp(`^${LINK_ACTION_PREFIX}`) }, async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction<UsersSelectAction>>({ type: 'block_actions', action_id: `${ACTION_PREFIX}assign` }, async ({ ack, body, action }) => {
    const ticketId = ticketIdFromBlockId(action.block_id) ?? '';
    await submit(body, { kind: 'button', action: 'assign', ticketId, assignee: { platform: 'slack', id: String(action.selected_user) } }, ack);
  });
}
