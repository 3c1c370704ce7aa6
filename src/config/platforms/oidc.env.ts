import { z } from 'zod';
import { booleanFlag, optionalString, requireTogether } from './env-helpers';

/** A host on this machine: the only place an identity provider may be reached over plain http (a local trial, the tests). */
const loopback = (host: string): boolean => host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/**
 * Sign-in to the web console with the company's identity provider (OpenID
 * Connect: Okta, Entra ID, Keycloak, Google Workspace…). On when
 * CHATDESK_OIDC_ISSUER is set; the link from the messenger keeps working.
 */
export const oidcEnvShape = {
  /** The issuer identifier, exactly as the provider's discovery document names it (its /.well-known/openid-configuration is read). */
  CHATDESK_OIDC_ISSUER: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, message: 'expected the https URL of the identity provider (its issuer)' })
      .refine((v) => v.startsWith('https:') || loopback(new URL(v).hostname), { message: 'expected an https URL (http only for a provider on this machine)' })
      .optional(),
  ),
  CHATDESK_OIDC_CLIENT_ID: optionalString,
  CHATDESK_OIDC_CLIENT_SECRET: optionalString,
  CHATDESK_OIDC_NAME: z.string().trim().min(1).max(60).default('SSO'),
  CHATDESK_OIDC_SCOPES: z
    .string()
    .trim()
    .default('openid email profile')
    .transform((v) => [...new Set(v.split(/[\s,]+/).filter(Boolean))])
    .refine((scopes) => scopes.includes('openid'), { message: 'expected scopes that include openid' }),
  CHATDESK_OIDC_EMAIL_CLAIM: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_:./-]{1,100}$/, 'expected a claim name such as email')
    .default('email'),
  CHATDESK_OIDC_REQUIRE_EMAIL_VERIFIED: booleanFlag,
  CHATDESK_OIDC_UNKNOWN_PEOPLE: z.enum(['requester', 'refuse'], { message: 'expected requester or refuse' }).default('requester'),
};

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Never logged. */
  clientSecret: string;
  /** Shown on the sign-in page: "Sign in with <name>". */
  name: string;
  scopes: string[];
  /** The claim that holds the person's address (ID token, else userinfo). */
  emailClaim: string;
  /** true: the address counts only with `email_verified: true`; false: also when the provider omits the claim. `false` is always refused. */
  requireVerifiedEmail: boolean;
  /** Someone the desk file's directory does not know: signed in as the email requester `email:<address>`, or refused. */
  unknownPeople: 'requester' | 'refuse';
}

type OidcEnv = z.infer<z.ZodObject<typeof oidcEnvShape>> & { PUBLIC_URL?: string | undefined };

export function refineOidcEnv(env: OidcEnv, ctx: z.RefinementCtx): void {
  requireTogether(env, ['CHATDESK_OIDC_ISSUER', 'CHATDESK_OIDC_CLIENT_ID', 'CHATDESK_OIDC_CLIENT_SECRET'], ctx);
  if (env.CHATDESK_OIDC_ISSUER && !env.PUBLIC_URL)
    ctx.addIssue({
      code: 'custom',
      path: ['PUBLIC_URL'],
      message: 'required when CHATDESK_OIDC_ISSUER is set (the redirect URI registered with the identity provider is <PUBLIC_URL>/console/oidc/callback)',
    });
}

export function oidcConfigFromEnv(env: OidcEnv): OidcConfig | undefined {
  if (!env.CHATDESK_OIDC_ISSUER || !env.CHATDESK_OIDC_CLIENT_ID || !env.CHATDESK_OIDC_CLIENT_SECRET) return undefined;
  return {
    issuer: env.CHATDESK_OIDC_ISSUER,
    clientId: env.CHATDESK_OIDC_CLIENT_ID,
    clientSecret: env.CHATDESK_OIDC_CLIENT_SECRET,
    name: env.CHATDESK_OIDC_NAME,
    scopes: env.CHATDESK_OIDC_SCOPES,
    emailClaim: env.CHATDESK_OIDC_EMAIL_CLAIM,
    requireVerifiedEmail: env.CHATDESK_OIDC_REQUIRE_EMAIL_VERIFIED ?? true,
    unknownPeople: env.CHATDESK_OIDC_UNKNOWN_PEOPLE,
  };
}
