import { parseUserKey, sameUser, type Ticket, type UserRef, userKey } from '../ticket/ticket';
import { escalationChainFor, type SlaConfig } from './policy';
import { escalationRecipient } from './schedule';

/**
 * Who an agent's Escalate click asks to step in: the first person of the ticket
 * team's SLA escalation chain (a level's user, or the requester's manager from
 * the directory). Levels that resolve to no one (no manager on file, a key that
 * names no messenger) and the clicker themself are skipped. Undefined when the
 * chain names no one else.
 */
export function firstEscalationContact(ticket: Pick<Ticket, 'team' | 'requester'>, config: SlaConfig, clicker: UserRef): UserRef | undefined {
  for (const level of escalationChainFor(ticket.team, config)) {
    const recipient = escalationRecipient(level.notify, userKey(ticket.requester), config.directory);
    const person = recipient.kind === 'user' ? parseUserKey(recipient.userId) : undefined;
    if (person && !sameUser(person, clicker)) return person;
  }
  return undefined;
}
