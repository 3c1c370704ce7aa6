import { z } from 'zod';
import { discordEnvShape, refineDiscordEnv } from './platforms/discord.env';
import { feishuEnvShape, refineFeishuEnv } from './platforms/feishu.env';
import { openaiEnvShape } from './platforms/openai.env';
import { emailEnvShape, refineEmailEnv } from './platforms/email.env';
import { refineTeamsEnv, teamsEnvShape } from './platforms/teams.env';
import { parseAllowList } from '../core/webhooks/target-guard';
import { booleanFlag } from './platforms/env-helpers';
import { oidcEnvShape, refineOidcEnv } from './platforms/oidc.env';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const httpUrl = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }).transform((v) => (v.endsWith('/') ? v : `${v}/`));

/**
 * Every environment variable chatdesk reads. The README's configuration table
 * mirrors this schema; a test keeps the two in step.
 */
export const envSchema = z
  .object({
    PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535).default(3000),
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PUBLIC_URL: httpUrl.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MONGODB_URI: optionalString.pipe(
      z
        .string()
        .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// or mongodb+srv:// URI')
        .optional(),
    ),
    CHATDESK_DATA_DIR: z.string().trim().min(1).default('.data'),
    FERRETDB_BIN: optionalString,
    CHATDESK_EMBEDDED_DB: optionalString.pipe(z.enum(['postgresql', 'sqlite'], { message: 'expected postgresql or sqlite' }).optional()),
    CHATDESK_CONFIG: optionalString,
    CHATDESK_PLAYGROUND: booleanFlag,
    CHATDESK_SLA_WORKER: booleanFlag,
    CHATDESK_INTAKE_CONCURRENCY: z.coerce.number({ message: 'expected a number' }).int().min(1).max(64).default(8),
    CHATDESK_INBOX_MAX_DEPTH: z.coerce.number({ message: 'expected a number' }).int().min(1).default(2000),
    CHATDESK_INBOX_MAX_AGE_S: z.coerce.number({ message: 'expected a number of seconds' }).min(1).default(60),
    CHATDESK_ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'expected a random token of at least 16 characters').optional()),
    CHATDESK_API_RATE_LIMIT: z.coerce.number({ message: 'expected a number of requests a minute' }).int().min(1).default(600),
    CHATDESK_WEBHOOK_ALLOW_PRIVATE: optionalString.transform((v, ctx) => {
      try {
        return parseAllowList(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `${(err as Error).message}: expected *, or IP addresses / CIDR ranges separated by commas` });
        return z.NEVER;
      }
    }),
    SLACK_BOT_TOKEN: optionalString.pipe(z.string().startsWith('xoxb-', 'expected a bot token starting with xoxb-').optional()),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
    SLACK_AGENT_CHANNEL: optionalString,
    /** The workspace (T…) and Enterprise Grid org (E…) this app serves; requests from others are refused. */
    SLACK_TEAM_ID: optionalString.pipe(
      z
        .string()
        .regex(/^T[A-Z0-9]+$/, 'expected a Slack team id (T…)')
        .optional(),
    ),
    SLACK_ENTERPRISE_ID: optionalString.pipe(
      z
        .string()
        .regex(/^E[A-Z0-9]+$/, 'expected a Slack enterprise id (E…)')
        .optional(),
    ),
    ...teamsEnvShape,
    ...discordEnvShape,
    ...feishuEnvShape,
    ...openaiEnvShape,
    ...emailEnvShape,
    ...oidcEnvShape,
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'required when SLACK_BOT_TOKEN is set' });
    }
    if (env.SLACK_SIGNING_SECRET && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'required when SLACK_SIGNING_SECRET is set' });
    }
    refineTeamsEnv(env, ctx);
    refineDiscordEnv(env, ctx);
    refineFeishuEnv(env, ctx);
    refineEmailEnv(env, ctx);
    refineOidcEnv(env, ctx);
  });

export type Env = z.infer<typeof envSchema>;
