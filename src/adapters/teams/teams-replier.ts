import type { IntakeEvent, IntakeOutcome, IntakeReplier } from '../../core/intake/intake-event';
import type { UserRef } from '../../domain/ticket/ticket';
import type { TeamsAdapter } from './teams-adapter';
import { type Inbound, replyPrivately, type TeamsReplyRoute } from './turn';

/** Tells a Teams user the outcome: a reply in the 1:1 chat, or a message only they see in a channel. */
export class TeamsReplier implements IntakeReplier {
  readonly platform = 'teams' as const;

  constructor(private readonly adapter: TeamsAdapter) {}

  async resolveUser(user: UserRef, event: IntakeEvent, role: 'actor' | 'assignee'): Promise<UserRef> {
    if (role === 'actor') return user;
    // The people picker gives an Entra object id; chatdesk keys people by their Teams id.
    const { activity } = event.reply as unknown as TeamsReplyRoute;
    this.adapter.learn(activity);
    return this.adapter.member(activity.conversation.id, user.id.slice(0, 100));
  }

  async answer(event: IntakeEvent, outcome: IntakeOutcome): Promise<void> {
    if (!outcome.message) return;
    const { activity } = event.reply as unknown as TeamsReplyRoute;
    this.adapter.learn(activity);
    await this.adapter.call('activities.create', () => replyPrivately(this.adapter.api(), activity as Inbound, outcome.message!));
  }
}
