import type { Card, OutboundMessage } from '../../core/cards/card';
import { clip, escapeMrkdwn } from './mrkdwn';
import type { KnownBlock, Button, ActionsBlock } from '@slack/types';

export const ACTION_PREFIX = 'chatdesk:';
/** Link buttons: Slack opens the URL and still sends a block_actions, which is only acknowledged. */
export const LINK_ACTION_PREFIX = `${ACTION_PREFIX}link:`;
const TONE_EMOJI = {
  neutral: ':white_circle:',
  info: ':large_blue_circle:',
  warning: ':large_orange_circle:',
  danger: ':red_circle:',
  success: ':large_green_circle:',
} as const;

/** Neutral card -> Block Kit. All user text is plain_text or escaped mrkdwn. */
export function cardToBlocks(card: Card): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: clip(card.title, 150), emoji: false } }];
  const status = card.status ? `${TONE_EMOJI[card.status.tone]} *${escapeMrkdwn(card.status.label)}*` : ' ';
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: clip(status, 3000) },
    ...(card.fields.length
      ? { fields: card.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn' as const, text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, 2000) })) }
      : {}),
  });
  if (card.body) blocks.push({ type: 'section', text: { type: 'plain_text', text: clip(card.body, 3000), emoji: false } });

  const ticketValue = card.actions.find((a) => a.value !== undefined)?.value ?? card.userPicker?.value;
  const elements: ActionsBlock['elements'] = card.actions.map(
    (a): Button => ({
      type: 'button',
      action_id: a.url === undefined ? `${ACTION_PREFIX}${a.id}` : `${LINK_ACTION_PREFIX}${a.id}`,
      text: { type: 'plain_text', text: clip(a.label, 75), emoji: false },
      ...(a.url === undefined ? { value: a.value } : { url: a.url }),
      ...(a.style ? { style: a.style } : {}),
      ...(a.confirm
        ? {
            confirm: {
              title: { type: 'plain_text', text: clip(a.confirm.title, 100) },
              text: { type: 'plain_text', text: clip(a.confirm.text, 300) },
              confirm: { type: 'plain_text', text: clip(a.confirm.confirm, 30) },
              deny: { type: 'plain_text', text: clip(a.confirm.deny, 30) },
            },
          }
        : {}),
    }),
  );
  if (card.userPicker) {
    elements.push({
      type: 'users_select',
      action_id: `${ACTION_PREFIX}${card.userPicker.actionId}`,
      placeholder: { type: 'plain_text', text: clip(card.userPicker.placeholder, 150) },
    });
  }
  if (elements.length && ticketValue) blocks.push({ type: 'actions', block_id: `${ACTION_PREFIX}ticket:${ticketValue}`, elements });
  if (card.footer) blocks.push({ type: 'context', elements: [{ type: 'plain_text', text: clip(card.footer, 2000), emoji: false }] });
  return blocks;
}

/** `text` is mrkdwn in Slack (and the notification line): the neutral plain text is escaped so it can never ping anyone. */
export function toSlackMessage(message: OutboundMessage): { text: string; blocks?: KnownBlock[] } {
  return { text: clip(escapeMrkdwn(message.text), 3000), ...(message.card ? { blocks: cardToBlocks(message.card) } : {}) };
}

/** The ticket id a users_select belongs to (carried in its block_id). */
export function ticketIdFromBlockId(blockId: string | undefined): string | undefined {
  const prefix = `${ACTION_PREFIX}ticket:`;
  return blockId?.startsWith(prefix) ? blockId.slice(prefix.length) : undefined;
}
