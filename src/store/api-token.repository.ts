import { randomBytes } from 'node:crypto';
import type { Model } from 'mongoose';
import type { ApiScope, ApiToken, ApiTokenStore, TokenRole } from '../api/api-token';
import type { Platform } from '../domain/ticket/ticket';
import type { ApiTokenRecord } from './api-token.model';

const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

const toToken = (r: ApiTokenRecord): ApiToken => ({
  id: r._id,
  name: r.name,
  scopes: r.scopes as ApiScope[],
  createdAt: r.createdAt,
  createdBy: r.createdBy,
  hint: r.hint,
  ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}),
  ...(r.revokedAt ? { revokedAt: r.revokedAt } : {}),
  ...(r.lastUsedAt ? { lastUsedAt: r.lastUsedAt } : {}),
  ...(r.as ? { as: { platform: r.as.platform as Platform, id: r.as.id } } : {}),
  ...(r.role ? { role: r.role as TokenRole } : {}),
  ...(r.teams?.length ? { teams: r.teams } : {}),
});

export class MongoApiTokenStore implements ApiTokenStore {
  constructor(private readonly Tokens: Model<ApiTokenRecord>) {}

  async create(token: Omit<ApiToken, 'id'>, digest: string): Promise<ApiToken | 'duplicate'> {
    const record: ApiTokenRecord = {
      _id: `tok_${randomBytes(8).toString('hex')}`,
      name: token.name,
      activeName: token.name,
      digest,
      hint: token.hint,
      scopes: token.scopes,
      createdAt: token.createdAt,
      createdBy: token.createdBy,
      expiresAt: token.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
      as: token.as ? { platform: token.as.platform, id: token.as.id } : null,
      role: token.role ?? null,
      ...(token.teams?.length ? { teams: token.teams } : {}),
    };
    try {
      await this.Tokens.create(record);
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate';
      throw err;
    }
    return toToken(record);
  }

  async findByDigest(digest: string): Promise<(ApiToken & { digest: string }) | null> {
    const r = await this.Tokens.findOne({ digest: String(digest) }).lean();
    return r ? { ...toToken(r), digest: r.digest } : null;
  }

  async list(): Promise<ApiToken[]> {
    return (await this.Tokens.find({}).sort({ createdAt: 1 }).limit(1000).lean()).map(toToken);
  }

  /** Revokes the token with this id, or the active token with this name. */
  async revoke(idOrName: string, now: Date): Promise<ApiToken | null> {
    const key = String(idOrName);
    const r = (await this.Tokens.findOne({ _id: key }).lean()) ?? (await this.Tokens.findOne({ activeName: key }).lean());
    if (!r) return null;
    if (r.revokedAt) return toToken(r);
    await this.Tokens.updateOne({ _id: r._id, revokedAt: null }, { $set: { revokedAt: now, activeName: `revoked:${r._id}` } });
    return toToken({ ...r, revokedAt: now });
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.Tokens.updateOne({ _id: id }, { $set: { lastUsedAt: now } });
  }
}
