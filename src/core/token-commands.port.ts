import type { UserRef } from '../domain/ticket/ticket';

/**
 * API tokens from chat (`/ticket admin token …`), implemented by the REST
 * API (src/api/token-commands.ts). The caller has checked that the person is
 * a desk admin. `secret` is set only for a token just created: the caller
 * sends it privately and never stores or logs it.
 */
export interface TokenCommands {
  /** `create <name> --scope …`, `list`, `revoke <id or name>`: the words after `/ticket admin token`. */
  run(args: string, by: UserRef): Promise<{ text: string; created?: { id: string; name: string; secret: string } }>;
  /** Revokes a token just created whose secret could not be handed over. */
  revoke(id: string): Promise<void>;
}
