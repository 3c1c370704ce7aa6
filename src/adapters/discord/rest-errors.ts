import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from 'discord.js';
import { ChatdeskError, isPermanentStatus } from '../../domain/errors';

/** Discord refuses to deliver to this person: DMs closed, or no shared server with the bot. */
const UNREACHABLE = new Set<number>([RESTJSONErrorCodes.CannotSendMessagesToThisUser]);

/**
 * Runs one REST call; what survives @discordjs/rest's own retries (429 after
 * Retry-After, 5xx) becomes a coded ChatdeskError with Discord's status and code.
 */
export async function discordCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DiscordAPIError) {
      const code = typeof err.code === 'number' ? err.code : undefined;
      const details = { platform: 'discord', what, status: err.status, code, permanent: isPermanentStatus(err.status) };
      if (code !== undefined && UNREACHABLE.has(code)) {
        throw new ChatdeskError('chatdesk_recipient_unreachable', `Discord ${what}: ${err.message}`, details, { cause: err });
      }
      throw new ChatdeskError('chatdesk_adapter_error', `Discord ${what} failed: ${err.message}`, details, { cause: err });
    }
    const status = err instanceof HTTPError ? err.status : undefined;
    throw new ChatdeskError(
      'chatdesk_adapter_error',
      `Discord ${what} failed: ${(err as Error).message}`,
      { platform: 'discord', what, status },
      { cause: err },
    );
  }
}

export function isDiscordCode(err: unknown, code: number): boolean {
  const cause = err instanceof ChatdeskError ? err.cause : err;
  return cause instanceof DiscordAPIError && cause.code === code;
}
