import type { IntakeEvent, IntakeOutcome, IntakeReplier } from '../../core/intake/intake-event';
import type { DiscordAdapter } from './discord-adapter';
import { escapeDiscord } from './discord-text';
import type { InteractionWebhook } from './interaction-replies';

/** Where the answer to a Discord request goes (stored with the request). */
export type DiscordReplyRoute =
  /** A command or modal answered "thinking…" (deferred): the final text replaces it (the token is valid 15 minutes). */
  | { via: 'edit'; token: string }
  /** A button or picker (acknowledged without touching the message): a further message only the clicker sees. */
  | { via: 'followup'; token: string }
  /** A DM to the bot: the answer as a reply to it. */
  | { via: 'dm'; channelId: string; messageId: string }
  /** A reaction or a line in a server thread (no interaction to answer): a DM to the person. */
  | { via: 'direct'; userId: string };

export class DiscordReplier implements IntakeReplier {
  readonly platform = 'discord' as const;

  constructor(
    private readonly adapter: DiscordAdapter,
    private readonly webhook: InteractionWebhook,
  ) {}

  async answer(event: IntakeEvent, outcome: IntakeOutcome): Promise<void> {
    const route = event.reply as DiscordReplyRoute;
    const text = outcome.message?.text;
    if (!text) return;
    switch (route.via) {
      case 'edit':
        return this.webhook.editOriginal(route.token, escapeDiscord(text));
      case 'followup':
        return this.webhook.followUpEphemeral(route.token, escapeDiscord(text));
      case 'direct':
        await this.adapter.sendDirect({ platform: 'discord', id: route.userId }, { text });
        return;
      case 'dm':
        // In the DM the whole message goes, card and buttons included (an offer to open a ticket has one).
        await this.adapter.post({ channelId: route.channelId, threadId: route.messageId }, outcome.message ?? { text });
    }
  }
}
