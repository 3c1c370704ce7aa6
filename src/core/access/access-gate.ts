import type { DeskConfig } from '../../config/desk-config.schema';
import { decide, type PermissionAction } from '../../domain/access/permissions';
import { groupKey, groupsNamedFor, type Roles, rolesOf } from '../../domain/access/roles';
import { ChatdeskError, isChatdeskError } from '../../domain/errors';
import { teamById } from '../../domain/ticket/routing';
import { type Ticket, type UserRef, userKey } from '../../domain/ticket/ticket';
import type { TicketRepository } from '../../domain/ticket/ticket.repository.port';
import type { Logger } from '../../logger';
import type { AdapterRegistry } from '../chat-adapter.port';
import { displayName } from '../cards/ticket-card';
import type { KeyedMutex } from '../keyed-mutex';

/** How long a person's group memberships are trusted before they are looked up again. */
const GROUPS_TTL_MS = 60_000;

export interface AccessGateDeps {
  desk: DeskConfig;
  adapters: AdapterRegistry;
  tickets: TicketRepository;
  locks: KeyedMutex;
  logger: Logger;
  now: () => Date;
}

/**
 * The one place a person's request on a ticket is checked against the
 * permission matrix (src/domain/access/permissions.ts) before anything runs.
 * A refusal is recorded on the ticket's activity (`refused`, with the action
 * and reason), logged at info, and thrown as chatdesk_forbidden, which
 * actor-feedback renders privately; nothing else about the ticket changes.
 */
export class AccessGate {
  private readonly groups = new Map<string, { at: number; keys: string[] }>();
  private readonly log: Logger;

  constructor(private readonly deps: AccessGateDeps) {
    this.log = deps.logger.child({ component: 'access' });
  }

  /** The person's roles, with the platform groups the desk file names looked up (cached a minute). */
  async roles(user: UserRef): Promise<Roles> {
    return rolesOf(this.deps.desk, user, await this.groupsOf(user));
  }

  /** Whether the matrix allows it, without recording anything (which view to show, not a refusal). */
  async allows(actor: UserRef, action: PermissionAction, ticket: Ticket, roles?: Roles): Promise<boolean> {
    return decide({ actor, roles: roles ?? (await this.roles(actor)), action, ticket }).allowed;
  }

  /** `roles`: the actor's roles when they are not the desk file's to say (an API token's, src/api/token-roles.ts). */
  async check(actor: UserRef, action: PermissionAction, ticket: Ticket, opts: { assignee?: UserRef; roles?: Roles } = {}): Promise<void> {
    const [roles, assigneeRoles] = await Promise.all([opts.roles ?? this.roles(actor), opts.assignee ? this.roles(opts.assignee) : undefined]);
    const decision = decide({
      actor,
      roles,
      action,
      ticket,
      ...(opts.assignee && assigneeRoles ? { assignee: { user: opts.assignee, roles: assigneeRoles } } : {}),
    });
    if (decision.allowed) return;
    const team = teamById(this.deps.desk, ticket.team);
    await this.record(ticket.id, actor, action, decision.reason);
    this.log.info({ ticket: ticket.key, actor: userKey(actor), action, reason: decision.reason }, 'refused: not permitted');
    throw new ChatdeskError('chatdesk_forbidden', `${userKey(actor)} may not ${action} ${ticket.key} (${decision.reason})`, {
      reason: decision.reason,
      action,
      ticket: ticket.key,
      team: team.name,
      ...(opts.assignee ? { assignee: displayName(opts.assignee) } : {}),
    });
  }

  /** The refused attempt in the ticket's audit trail (not a status change: only the activity and version move). */
  private async record(ticketId: string, actor: UserRef, action: PermissionAction, reason: string): Promise<void> {
    await this.deps.locks.run(ticketId, async () => {
      for (let attempt = 1; ; attempt++) {
        const current = await this.deps.tickets.findById(ticketId);
        if (!current) return;
        const next: Ticket = {
          ...current,
          activity: [...current.activity, { at: this.deps.now(), action: 'refused', actor, to: action, note: reason }],
          version: current.version + 1,
        };
        try {
          await this.deps.tickets.save(next);
          return;
        } catch (err) {
          if (!isChatdeskError(err, 'chatdesk_ticket_conflict') || attempt >= 3) throw err;
        }
      }
    });
  }

  private async groupsOf(user: UserRef): Promise<string[]> {
    const named = groupsNamedFor(this.deps.desk, user.platform);
    const lookup = this.deps.adapters.get(user.platform)?.memberGroups;
    if (named.length === 0 || !lookup) return [];
    const key = userKey(user);
    const cached = this.groups.get(key);
    const now = this.deps.now().getTime();
    if (cached && now - cached.at < GROUPS_TTL_MS) return cached.keys;
    const ids = await lookup.call(
      this.deps.adapters.get(user.platform),
      user,
      named.map((g) => g.id),
    );
    const keys = named.filter((g) => ids.includes(g.id)).map(groupKey);
    this.groups.set(key, { at: now, keys });
    return keys;
  }
}
