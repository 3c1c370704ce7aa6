import { type APIInteractionResponse, InteractionResponseType, MessageFlags, type REST, Routes } from 'discord.js';
import { clip, NO_MENTIONS } from './discord-text';
import { discordCall } from './rest-errors';

/** How the initial response reaches Discord: the callback endpoint (gateway) or the HTTP response (interactions endpoint). */
export interface InteractionReply {
  /** The initial response: exactly once, within 3 seconds. */
  respond(body: APIInteractionResponse): Promise<void>;
  /** A replayed delivery: acknowledged without doing the work again (over the gateway the first delivery's answer stands). */
  replayed(body: APIInteractionResponse): Promise<void>;
}

/** An ephemeral reply: formatted (already escaped) content only the user sees. */
export function ephemeral(content: string): APIInteractionResponse {
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { content: clip(content, 2000), flags: MessageFlags.Ephemeral, allowed_mentions: NO_MENTIONS },
  };
}

export const DEFERRED_EPHEMERAL: APIInteractionResponse = {
  type: InteractionResponseType.DeferredChannelMessageWithSource,
  data: { flags: MessageFlags.Ephemeral },
};
export const DEFERRED_UPDATE: APIInteractionResponse = { type: InteractionResponseType.DeferredMessageUpdate };

/** Follow-ups through the interaction's webhook (valid 15 minutes, no bot token needed). */
export class InteractionWebhook {
  constructor(
    private readonly rest: REST,
    private readonly applicationId: string,
  ) {}

  /** Replaces the deferred "thinking…" reply with the final text. */
  async editOriginal(token: string, content: string): Promise<void> {
    await discordCall('edit interaction reply', () =>
      this.rest.patch(Routes.webhookMessage(this.applicationId, token, '@original'), {
        body: { content: clip(content, 2000), allowed_mentions: NO_MENTIONS },
        auth: false,
      }),
    );
  }

  /** A further message only the user sees. */
  async followUpEphemeral(token: string, content: string): Promise<void> {
    await discordCall('interaction follow-up', () =>
      this.rest.post(Routes.webhook(this.applicationId, token), {
        body: { content: clip(content, 2000), flags: MessageFlags.Ephemeral, allowed_mentions: NO_MENTIONS },
        auth: false,
      }),
    );
  }
}
