import { z } from 'zod';
import { baseUrl, optionalString, requireTogether } from './env-helpers';

/** Discord (discord.js). On when DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID are set. */
export const discordEnvShape = {
  DISCORD_BOT_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  /** Verifies the signed interactions endpoint (/discord/interactions), which is mounted whenever this is set. */
  DISCORD_PUBLIC_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'expected the 64 hex digits of the application public key')
      .optional(),
  ),
  DISCORD_GUILD_ID: optionalString,
  DISCORD_AGENT_CHANNEL: optionalString,
  DISCORD_API_URL: baseUrl.default('https://discord.com/api'),
  /** gateway: discord.js over the Gateway (one replica); http: the signed interactions endpoint (several replicas). */
  DISCORD_MODE: z.enum(['gateway', 'http'], { message: 'expected gateway or http' }).default('gateway'),
};

export interface DiscordConfig {
  botToken: string;
  applicationId: string;
  publicKey?: string;
  guildId?: string;
  agentChannel?: string;
  apiUrl: string;
  mode: 'gateway' | 'http';
}

type DiscordEnv = z.infer<z.ZodObject<typeof discordEnvShape>>;

export function refineDiscordEnv(env: DiscordEnv, ctx: z.RefinementCtx): void {
  requireTogether(env, ['DISCORD_BOT_TOKEN', 'DISCORD_APPLICATION_ID'], ctx);
  if (env.DISCORD_BOT_TOKEN && env.DISCORD_MODE === 'http' && !env.DISCORD_PUBLIC_KEY) {
    ctx.addIssue({ code: 'custom', path: ['DISCORD_PUBLIC_KEY'], message: 'required when DISCORD_MODE is http' });
  }
}

export function discordConfigFromEnv(env: DiscordEnv): DiscordConfig | undefined {
  if (!env.DISCORD_BOT_TOKEN || !env.DISCORD_APPLICATION_ID) return undefined;
  return {
    botToken: env.DISCORD_BOT_TOKEN,
    applicationId: env.DISCORD_APPLICATION_ID,
    publicKey: env.DISCORD_PUBLIC_KEY,
    guildId: env.DISCORD_GUILD_ID,
    agentChannel: env.DISCORD_AGENT_CHANNEL,
    apiUrl: env.DISCORD_API_URL,
    mode: env.DISCORD_MODE,
  };
}
