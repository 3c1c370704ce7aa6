import { ApplicationCommandOptionType, ApplicationCommandType, type REST, type RESTPutAPIApplicationCommandsJSONBody, Routes } from 'discord.js';
import type { DeskConfig } from '../../config/desk-config.schema';
import { COMMANDS } from '../../core/commands';
import { localize } from '../../core/i18n';
import { clip } from './discord-text';
import { discordCall } from './rest-errors';

/** Discord's locale ids that get the Chinese texts. */
const ZH = ['zh-CN', 'zh-TW'] as const;
const zh = (text: string) => Object.fromEntries(ZH.map((l) => [l, text]));

/** The option that picks the form's ticket type (modals cannot hold a select menu). */
export const TYPE_OPTION = 'type';

/**
 * `/ticket [text] [type]`, from the one command description: `text` is the
 * quick one-liner, `type` opens the form for that ticket type.
 */
export function ticketCommand(desk: DeskConfig): RESTPutAPIApplicationCommandsJSONBody[number] {
  return {
    type: ApplicationCommandType.ChatInput,
    name: COMMANDS.name,
    description: COMMANDS.description.en,
    description_localizations: zh(COMMANDS.description.zh),
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: COMMANDS.textOption.name,
        description: COMMANDS.textOption.description.en,
        description_localizations: zh(COMMANDS.textOption.description.zh),
        required: false,
        max_length: 4000,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: TYPE_OPTION,
        description: 'Open the form for this kind of ticket',
        description_localizations: zh('打开该类型的工单表单'),
        required: false,
        choices: desk.ticketTypes.slice(0, 25).map((tt) => ({
          name: clip(localize(tt.name, 'en'), 100),
          name_localizations: zh(clip(localize(tt.name, 'zh'), 100)),
          value: tt.id,
        })),
      },
    ],
  };
}

/** Registers the command for one server (instant) or globally when no server is configured. */
export async function registerCommands(rest: REST, opts: { applicationId: string; guildId?: string; desk: DeskConfig }): Promise<void> {
  const route = opts.guildId ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId) : Routes.applicationCommands(opts.applicationId);
  await discordCall('register commands', () => rest.put(route, { body: [ticketCommand(opts.desk)] }));
}
