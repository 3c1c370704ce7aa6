import type { IntakeEvent, IntakeOutcome, IntakeReplier } from '../../core/intake/intake-event';
import type { IntakePipeline } from '../../core/intake/intake-pipeline';
import type { Logger } from '../../logger';
import type { EmailAdapter } from './email-adapter';
import type { MailReply } from './mail-intake';

const isMailReply = (v: Record<string, unknown>): v is Record<string, unknown> & MailReply =>
  typeof v.to === 'string' && typeof v.rootId === 'string' && typeof v.subject === 'string';

/**
 * Tells the sender of a mail what became of it, by a reply in its thread.
 * An email requester's new ticket is confirmed by the requester thread itself
 * (the core's first mail to them), so it is not told twice. A reply that
 * answers none of the sender's tickets (someone else wrote in the thread, or
 * named a key that is not theirs) opens a ticket of its own instead of the
 * chat "Open a ticket with this?" offer, which a mail cannot click.
 */
export class EmailReplier implements IntakeReplier {
  readonly platform = 'email' as const;

  constructor(
    private readonly adapter: EmailAdapter,
    private readonly intake: Pick<IntakePipeline, 'submit'>,
    private readonly defaultType: string,
    private readonly logger: Logger,
  ) {}

  async answer(event: IntakeEvent, outcome: IntakeOutcome): Promise<void> {
    if (!isMailReply(event.reply)) {
      this.logger.warn({ event: event.id }, 'an email event without its reply address; nothing sent');
      return;
    }
    const reply = event.reply;
    if (outcome.unmatched && event.request.kind === 'message') {
      const title =
        reply.subject
          .replace(/^((re|fwd?|aw|sv)\s*:\s*)+/i, '')
          .replace(/\[[A-Z]{1,6}-\d+\]\s*/g, '')
          .trim() || event.request.text.split('\n')[0]!;
      await this.intake.submit({
        ...event,
        id: `${event.id}:new`,
        request: { kind: 'submit', draft: { title: title.slice(0, 150), description: event.request.text, type: this.defaultType } },
      });
      this.logger.info({ event: event.id }, 'a mail in a thread that is not the sender’s opens a ticket of its own');
      return;
    }
    if (outcome.status === 'created' && event.user.platform === 'email') return;
    if (!outcome.message) return;
    const about = outcome.ticket ? { key: outcome.ticket.key, title: reply.subject } : undefined;
    await this.adapter.post({ channelId: reply.to, threadId: reply.rootId }, outcome.message, {
      dedupeKey: `answer:${event.id}`,
      ...(about ? { about } : {}),
    });
  }
}
