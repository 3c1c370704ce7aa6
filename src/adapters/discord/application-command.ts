import { type REST, type RESTPutAPIApplicationCommandsJSONBody, Routes } from 'discord.js';
import type { DeskConfig } from '../../config/desk-config.schema';
import { discordCommands, DISCORD_TYPE_OPTION } from '../../manifests/discord-commands';
import { discordCall } from './rest-errors';

/** The option that picks the form's ticket type (modals cannot hold a select menu). */
export const TYPE_OPTION = DISCORD_TYPE_OPTION;

/**
 * Registers `/ticket` for one server (instant) or globally when no server is
 * configured: exactly the commands the manifest generator describes.
 */
export async function registerCommands(rest: REST, opts: { applicationId: string; guildId?: string; desk: DeskConfig }): Promise<void> {
  const route = opts.guildId ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId) : Routes.applicationCommands(opts.applicationId);
  // The generator is SDK-free (plain JSON checked against Discord's OpenAPI in tests/manifests).
  const body = discordCommands(opts.desk) as unknown as RESTPutAPIApplicationCommandsJSONBody;
  await discordCall('register commands', () => rest.put(route, { body }));
}
