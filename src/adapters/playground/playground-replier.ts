import type { IntakeEvent, IntakeOutcome, IntakeReplier } from '../../core/intake/intake-event';
import type { PlaygroundHub } from './playground-hub';

/**
 * The playground answers in the HTTP response when the work is done in time;
 * an answer that comes later (or after a restart) lands in the person's DM
 * conversation with the bot, pushed over the page's socket.
 */
export class PlaygroundReplier implements IntakeReplier {
  readonly platform = 'playground' as const;

  constructor(private readonly hub: PlaygroundHub) {}

  async answer(event: IntakeEvent, outcome: IntakeOutcome): Promise<void> {
    if (!outcome.message) return;
    // A new ticket's confirmation already sits in the DM thread the core opened.
    if (outcome.status === 'created') return;
    await this.hub.sendDirect(event.user, outcome.message);
  }
}
