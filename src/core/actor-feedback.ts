import type { PermissionAction, RefusalReason } from '../domain/access/permissions';
import { isChatdeskError } from '../domain/errors';
import type { UserRef } from '../domain/ticket/ticket';
import { displayName } from './cards/ticket-card';
import { type Locale, t } from './i18n';

/**
 * What to tell the person whose click failed. Every adapter shows this the
 * way its platform shows private feedback (ephemeral, toast, whisper).
 */
export function feedbackForError(err: unknown, locale: Locale, ticketId: string): { text: string; expected: boolean } {
  if (isChatdeskError(err, 'chatdesk_ticket_already_claimed')) {
    const assignee = err.details.assignee as UserRef | undefined;
    return { text: t(locale, 'actor.alreadyClaimed', { key: String(err.details.ticket), name: displayName(assignee) }), expected: true };
  }
  if (isChatdeskError(err, 'chatdesk_forbidden')) {
    const d = err.details as { reason: RefusalReason; action: PermissionAction; ticket: string; team: string; assignee?: string };
    return {
      text: t(locale, `forbidden.${d.reason}`, { key: d.ticket, team: d.team, verb: t(locale, `verb.${d.action}`), assignee: d.assignee ?? '' }),
      expected: true,
    };
  }
  if (isChatdeskError(err, 'chatdesk_ticket_not_found')) return { text: t(locale, 'actor.notFound', { id: ticketId.slice(0, 40) }), expected: true };
  if (isChatdeskError(err, 'chatdesk_transition_illegal') || isChatdeskError(err, 'chatdesk_ticket_conflict')) {
    return { text: t(locale, 'actor.illegal', { reason: err.message }), expected: true };
  }
  return { text: t(locale, 'actor.failed'), expected: false };
}
