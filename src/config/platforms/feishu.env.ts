import type { z } from 'zod';
import { baseUrl, optionalString, requireTogether } from './env-helpers';

/** Feishu / Lark (@larksuiteoapi/node-sdk, webhook mode). On when FEISHU_APP_ID and FEISHU_APP_SECRET are set. */
export const feishuEnvShape = {
  FEISHU_APP_ID: optionalString,
  FEISHU_APP_SECRET: optionalString,
  FEISHU_ENCRYPT_KEY: optionalString,
  FEISHU_VERIFICATION_TOKEN: optionalString,
  FEISHU_AGENT_CHAT: optionalString,
  /** The tenant this app serves (events' `tenant_key`); events and card callbacks from any other are refused. */
  FEISHU_TENANT_KEY: optionalString,
  /** https://open.feishu.cn for Feishu, https://open.larksuite.com for Lark. */
  FEISHU_API_URL: baseUrl.default('https://open.feishu.cn'),
};

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken?: string;
  agentChat?: string;
  tenantKey?: string;
  apiUrl: string;
}

type FeishuEnv = z.infer<z.ZodObject<typeof feishuEnvShape>>;

export function refineFeishuEnv(env: FeishuEnv, ctx: z.RefinementCtx): void {
  requireTogether(env, ['FEISHU_APP_ID', 'FEISHU_APP_SECRET'], ctx);
  // Without an Encrypt Key the SDK verifies nothing, so chatdesk refuses to run Feishu without one.
  if (env.FEISHU_APP_ID && !env.FEISHU_ENCRYPT_KEY) {
    ctx.addIssue({ code: 'custom', path: ['FEISHU_ENCRYPT_KEY'], message: 'required when FEISHU_APP_ID is set (inbound events are verified with it)' });
  }
}

export function feishuConfigFromEnv(env: FeishuEnv): FeishuConfig | undefined {
  if (!env.FEISHU_APP_ID || !env.FEISHU_APP_SECRET || !env.FEISHU_ENCRYPT_KEY) return undefined;
  return {
    appId: env.FEISHU_APP_ID,
    appSecret: env.FEISHU_APP_SECRET,
    encryptKey: env.FEISHU_ENCRYPT_KEY,
    verificationToken: env.FEISHU_VERIFICATION_TOKEN,
    agentChat: env.FEISHU_AGENT_CHAT,
    tenantKey: env.FEISHU_TENANT_KEY,
    apiUrl: env.FEISHU_API_URL,
  };
}
