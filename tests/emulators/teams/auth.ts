/**
 * The Bot Framework's side of authentication, emulated: an RSA signing key
 * per run published as OpenID metadata + JWKS, inbound activity tokens signed
 * like the Bot Framework service signs them, and the Entra ID client
 * credentials endpoint that issues the bot's own tokens for the Bot Connector.
 */
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const BOT_API_SCOPE = 'https://api.botframework.com/.default';

export type ForgedKind = 'unsigned' | 'tampered' | 'stale' | 'wrong-key';

export class EmulatorKeys {
  readonly kid = crypto.randomBytes(8).toString('hex');
  private readonly key = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** Another key that is not published (a forger's). */
  private readonly otherKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

  /** JWKS as login.botframework.com publishes it (with the `endorsements` Teams adds). */
  jwks(): { keys: Array<Record<string, unknown>> } {
    const jwk = this.key.publicKey.export({ format: 'jwk' });
    return { keys: [{ ...jwk, kty: 'RSA', use: 'sig', kid: this.kid, alg: 'RS256', endorsements: ['msteams'] }] };
  }

  /** What the Bot Framework puts in `Authorization: Bearer` for an activity sent to the bot. */
  inboundToken(opts: {
    appId: string;
    serviceUrl: string;
    issuedAtSec?: number;
    lifetimeSec?: number;
    key?: 'published' | 'other';
    audience?: string;
  }): string {
    const iat = opts.issuedAtSec ?? Math.floor(Date.now() / 1000);
    const payload = {
      serviceurl: opts.serviceUrl,
      nbf: iat - 5,
      iat,
      exp: iat + (opts.lifetimeSec ?? 3600),
      iss: BOT_FRAMEWORK_ISSUER,
      aud: opts.audience ?? opts.appId,
    };
    const key = opts.key === 'other' ? this.otherKey.privateKey : this.key.privateKey;
    return jwt.sign(payload, key, { algorithm: 'RS256', keyid: this.kid, header: { alg: 'RS256', typ: 'JWT', kid: this.kid, x5t: this.kid } });
  }

  /** An Entra ID app token for the Bot Connector (what the bot gets from the token endpoint). */
  botToken(appId: string, tenant: string, lifetimeSec = 3600): string {
    const iat = Math.floor(Date.now() / 1000);
    return jwt.sign(
      { aud: BOT_FRAMEWORK_ISSUER, iss: `https://sts.windows.net/${tenant}/`, appid: appId, azp: appId, tid: tenant, iat, nbf: iat, exp: iat + lifetimeSec },
      this.key.privateKey,
      {
        algorithm: 'RS256',
        keyid: this.kid,
      },
    );
  }

  /** Verifies a bearer token the bot sent to the Bot Connector; returns its app id or undefined. */
  verifyBotToken(authorization: string | undefined): string | undefined {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    if (!token) return undefined;
    try {
      const claims = jwt.verify(token, this.key.publicKey, { algorithms: ['RS256'], audience: BOT_FRAMEWORK_ISSUER }) as { appid?: string };
      return claims.appid;
    } catch {
      return undefined;
    }
  }
}
