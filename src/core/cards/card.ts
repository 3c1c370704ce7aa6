/**
 * The neutral card model. The core builds cards from this; every adapter
 * renders it to its platform (Block Kit, Adaptive Card, Discord components,
 * Feishu card, HTML) and `cardToText` is the fallback for plain-text surfaces.
 */
export type CardTone = 'neutral' | 'info' | 'warning' | 'danger' | 'success';

interface ButtonBase {
  /** Stable action id the adapters route on, e.g. `claim`. */
  id: string;
  label: string;
  style?: 'primary' | 'danger';
}

/** A button whose click comes back to the bot with `value`. */
export interface CallbackAction extends ButtonBase {
  /** Opaque value returned with the click (the ticket id). */
  value: string;
  confirm?: { title: string; text: string; confirm: string; deny: string };
  /** The click opens a form (Note): where a platform opens forms from a button of their own kind (a Teams dialog), it renders one. */
  opensForm?: boolean;
  url?: undefined;
}

/** A link button: the platform opens `url` and the bot is not called back. */
export interface LinkAction extends ButtonBase {
  url: string;
  value?: undefined;
  confirm?: undefined;
}

export type CardAction = CallbackAction | LinkAction;

export function isLinkAction(a: CardAction): a is LinkAction {
  return a.url !== undefined;
}

export interface Card {
  title: string;
  subtitle?: string;
  status?: { label: string; tone: CardTone };
  fields: Array<{ label: string; value: string }>;
  body?: string;
  actions: CardAction[];
  /** A people picker that assigns the ticket, where the platform has one. */
  userPicker?: { actionId: string; placeholder: string; value: string };
  footer?: string;
}

export interface OutboundMessage {
  /** Always set: notifications, screen readers and platforms without cards use it. */
  text: string;
  card?: Card;
}

export function cardToText(card: Card): string {
  const lines = [card.title];
  if (card.subtitle) lines.push(card.subtitle);
  if (card.status) lines.push(`[${card.status.label}]`);
  for (const f of card.fields) lines.push(`${f.label}: ${f.value}`);
  if (card.body) lines.push('', card.body);
  if (card.footer) lines.push('', card.footer);
  const links = card.actions.filter(isLinkAction);
  if (links.length) lines.push('', ...links.map((a) => `${a.label}: ${a.url}`));
  return lines.join('\n');
}
