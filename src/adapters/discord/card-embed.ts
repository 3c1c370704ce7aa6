import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIButtonComponentWithURL,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import type { Card, CardTone, OutboundMessage } from '../../core/cards/card';
import { clip, escapeDiscord, NO_MENTIONS } from './discord-text';

/** custom_id prefix of chatdesk's components: `cd:<action>:<ticket id>` (Discord allows 100 characters). */
export const CUSTOM_ID_PREFIX = 'cd';
const TONE_COLOR: Record<CardTone, number> = { neutral: 0x99aab5, info: 0x5865f2, warning: 0xfaa61a, danger: 0xed4245, success: 0x57f287 };

export function customId(action: string, value: string): string {
  return `${CUSTOM_ID_PREFIX}:${action}:${value}`.slice(0, 100);
}

/** `cd:claim:abc` -> { action: 'claim', value: 'abc' }; undefined for anything else. */
export function parseCustomId(id: string): { action: string; value: string } | undefined {
  const m = /^cd:([a-z0-9_]+):(.*)$/.exec(id);
  return m ? { action: m[1] as string, value: m[2] as string } : undefined;
}

/** Neutral card -> one embed (title, status line and body, fields, footer; colour by tone). */
export function cardToEmbed(card: Card): APIEmbed {
  const status = card.status ? `**${escapeDiscord(card.status.label)}**` : '';
  const description = [status, card.body ? escapeDiscord(card.body) : ''].filter(Boolean).join('\n\n');
  return {
    title: clip(escapeDiscord(card.title), 256),
    ...(description ? { description: clip(description, 4096) } : {}),
    color: TONE_COLOR[card.status?.tone ?? 'neutral'],
    fields: card.fields.slice(0, 25).map((f) => ({ name: clip(escapeDiscord(f.label), 256), value: clip(escapeDiscord(f.value) || '-', 1024), inline: true })),
    ...(card.footer ? { footer: { text: clip(card.footer, 2048) } } : {}),
  };
}

/** Buttons in one action row (Discord has no confirm dialog on buttons; a link is a Link-style button), the people picker in a second. */
export function cardToComponents(card: Card): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  const buttons = card.actions.slice(0, 5).map((a): APIButtonComponentWithCustomId | APIButtonComponentWithURL =>
    a.url !== undefined
      ? { type: ComponentType.Button, style: ButtonStyle.Link, label: clip(a.label, 80), url: a.url }
      : {
          type: ComponentType.Button,
          style: a.style === 'primary' ? ButtonStyle.Primary : a.style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Secondary,
          label: clip(a.label, 80),
          custom_id: customId(a.id, a.value),
        },
  );
  if (buttons.length) rows.push({ type: ComponentType.ActionRow, components: buttons });
  if (card.userPicker) {
    rows.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.UserSelect,
          custom_id: customId(card.userPicker.actionId, card.userPicker.value),
          placeholder: clip(card.userPicker.placeholder, 150),
          min_values: 1,
          max_values: 1,
        },
      ],
    });
  }
  return rows;
}

/**
 * What chatdesk sends for one outbound message. A card is the embed and its
 * components (the plain text would repeat the title above it); plain messages
 * are escaped text. Mentions never ping.
 */
export function toDiscordMessage(message: OutboundMessage): RESTPostAPIChannelMessageJSONBody {
  if (!message.card) return { content: clip(escapeDiscord(message.text), 2000), allowed_mentions: NO_MENTIONS };
  return { content: '', embeds: [cardToEmbed(message.card)], components: cardToComponents(message.card), allowed_mentions: NO_MENTIONS };
}
