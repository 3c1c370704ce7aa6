import { UNKNOWN_CATEGORY } from '../../ai/classifier.port';
import { capChars } from '../../ai/llm/sanitize';
import type { DeskConfig } from '../../config/desk-config.schema';
import { findTicketType } from '../../domain/ticket/ticket-draft';
import type { Ticket } from '../../domain/ticket/ticket';
import { CSAT_SCALE, csatCommentOf, csatOf } from '../../domain/ticket/transitions';
import { type Locale, localize, t } from '../i18n';
import type { Card, CardAction, CardTone, OutboundMessage } from './card';

const STATUS_TONE: Record<Ticket['status'], CardTone> = {
  new: 'info',
  triaged: 'info',
  in_progress: 'warning',
  waiting_on_requester: 'neutral',
  resolved: 'success',
  closed: 'neutral',
};

const BODY_MAX = 500;
/** How much of the requester's comment on their rating the card shows (the console shows all of it). */
const COMMENT_MAX = 120;

function excerpt(text: string): string {
  return text.length > BODY_MAX ? `${text.slice(0, BODY_MAX - 1)}…` : text;
}

/** `★★★★☆ 4/5`, then the requester's comment on one line, cut short: `★★★★☆ 4/5 · "Quick and friendly"`. */
function rating(score: number, comment: string | undefined): string {
  const stars = `${'★'.repeat(score)}${'☆'.repeat(CSAT_SCALE - score)} ${score}/${CSAT_SCALE}`;
  if (!comment) return stars;
  return `${stars} · "${capChars(comment.replace(/\s+/g, ' ').trim(), COMMENT_MAX)}"`;
}

export function displayName(u: { name?: string; id: string } | undefined): string {
  return u ? (u.name ?? u.id) : '';
}

/** The assignment card agents see in their channel, rebuilt from the ticket on every change. */
export function ticketCard(ticket: Ticket, desk: DeskConfig, locale: Locale = desk.locale, sla?: { text: string; tone: CardTone }): OutboundMessage {
  const type = findTicketType(desk, ticket.type);
  const category = ticket.category === UNKNOWN_CATEGORY ? t(locale, 'value.triage') : `${ticket.category} (${Math.round(ticket.categoryConfidence * 100)}%)`;
  const fields = [
    { label: t(locale, 'field.requester'), value: displayName(ticket.requester) },
    { label: t(locale, 'field.type'), value: type ? localize(type.name, locale) : ticket.type },
    { label: t(locale, 'field.category'), value: category },
    { label: t(locale, 'field.priority'), value: ticket.priority },
    { label: t(locale, 'field.status'), value: t(locale, `status.${ticket.status}`) },
    { label: t(locale, 'field.assignee'), value: ticket.assignee ? displayName(ticket.assignee) : t(locale, 'value.unassigned') },
  ];
  if (sla) fields.push({ label: t(locale, 'field.sla'), value: sla.text });
  if (ticket.tags.length > 0) fields.push({ label: t(locale, 'field.tags'), value: ticket.tags.join(', ') });
  const csat = csatOf(ticket);
  if (csat !== undefined) fields.push({ label: t(locale, 'field.csat'), value: rating(csat, csatCommentOf(ticket)) });
  for (const f of type?.fields ?? []) {
    const v = ticket.fields[f.id];
    if (v === undefined) continue;
    const option = f.options?.find((o) => o.value === v);
    fields.push({ label: localize(f.label, locale), value: option ? localize(option.label, locale) : String(v) });
  }

  const actions: CardAction[] = [];
  const open = ticket.status !== 'resolved' && ticket.status !== 'closed';
  if (open && !ticket.assignee) actions.push({ id: 'claim', label: t(locale, 'action.claim'), value: ticket.id, style: 'primary' });
  if (open) {
    actions.push({
      id: 'resolve',
      label: t(locale, 'action.resolve'),
      value: ticket.id,
      confirm: {
        title: t(locale, 'confirm.resolve.title', { key: ticket.key }),
        text: t(locale, 'confirm.resolve.text'),
        confirm: t(locale, 'confirm.yes'),
        deny: t(locale, 'confirm.no'),
      },
    });
    actions.push({ id: 'escalate', label: t(locale, 'action.escalate'), value: ticket.id, style: 'danger' });
  }
  if (ticket.status === 'in_progress') actions.push({ id: 'wait', label: t(locale, 'action.wait'), value: ticket.id });
  if (ticket.status === 'resolved') actions.push({ id: 'reopen', label: t(locale, 'action.reopen'), value: ticket.id });
  if (ticket.status === 'resolved') actions.push({ id: 'close', label: t(locale, 'action.close'), value: ticket.id });
  if (ticket.status !== 'closed') actions.push({ id: 'note', label: t(locale, 'action.note'), value: ticket.id, opensForm: true });

  const notes: string[] = [];
  if (ticket.assignee) notes.push(t(locale, 'card.claimedBy', { name: displayName(ticket.assignee) }));
  if (ticket.escalationLevel > 0) notes.push(t(locale, 'card.escalated', { level: ticket.escalationLevel }));
  const linked = ticket.status === 'closed' ? ticket.activity.findLast((a) => a.action === 'duplicate_linked' && a.to)?.to : undefined;
  if (linked) notes.push(t(locale, 'card.duplicateOf', { key: linked }));
  else if (ticket.assist?.possibleDuplicateOf && ticket.status !== 'resolved' && ticket.status !== 'closed')
    notes.push(t(locale, 'card.possibleDuplicate', { key: ticket.assist.possibleDuplicateOf }));
  // Resolved by the requester's "this solved it" (not by a later resolve after a reopen); SLA audit entries may follow it.
  const lastResolution = ticket.activity.findLast((a) => a.action === 'deflected' || a.action === 'resolved' || a.action === 'reopened');
  if (ticket.status === 'resolved' && lastResolution?.action === 'deflected') notes.push(t(locale, 'card.deflected'));
  if ((ticket.watchers?.length ?? 0) > 0) notes.push(t(locale, 'card.watchers', { count: ticket.watchers!.length }));

  const card: Card = {
    title: `${ticket.key} · ${ticket.title}`,
    status: {
      label: `${ticket.priority} · ${t(locale, `status.${ticket.status}`)}`,
      tone: sla?.tone === 'danger' || sla?.tone === 'warning' ? sla.tone : STATUS_TONE[ticket.status],
    },
    fields,
    body: ticket.description ? excerpt(ticket.description) : undefined,
    actions,
    userPicker: open ? { actionId: 'assign', placeholder: t(locale, 'action.assign'), value: ticket.id } : undefined,
    footer:
      [ticket.classificationReason, ...notes, ...(ticket.status !== 'closed' ? [t(locale, 'card.relayHelp')] : [])].filter(Boolean).join(' · ') || undefined,
  };
  const text = `${ticket.key} [${ticket.priority}] ${ticket.title} — ${t(locale, `status.${ticket.status}`)}${
    ticket.assignee ? ` (${displayName(ticket.assignee)})` : ''
  }`;
  return { text, card };
}
