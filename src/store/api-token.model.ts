import { type Connection, type Model, Schema } from 'mongoose';

/**
 * `api_tokens`: REST API tokens, stored as the sha256 digest of the token.
 * `activeName` is the name while the token is usable and `revoked:<id>` after,
 * so its unique index allows one active token per name (FerretDB has no
 * partial indexes) and a revoked name can be given to a new token.
 */
export interface ApiTokenRecord {
  _id: string;
  name: string;
  activeName: string;
  digest: string;
  hint: string;
  scopes: string[];
  createdAt: Date;
  createdBy: string;
  expiresAt?: Date | null;
  revokedAt?: Date | null;
  lastUsedAt?: Date | null;
  /** Who the token acts as (see TokenActing in src/api/api-token.ts). */
  as?: { platform: string; id: string } | null;
  role?: string | null;
  teams?: string[];
}

const schema = new Schema<ApiTokenRecord>(
  {
    _id: String,
    name: { type: String, required: true },
    activeName: { type: String, required: true, unique: true },
    digest: { type: String, required: true, unique: true },
    hint: String,
    scopes: [String],
    createdAt: Date,
    createdBy: String,
    expiresAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    as: { type: new Schema({ platform: String, id: String }, { _id: false }), default: null },
    role: { type: String, default: null },
    teams: { type: [String], default: undefined },
  },
  { collection: 'api_tokens', versionKey: false, bufferCommands: false },
);

export function registerApiTokenModel(conn: Connection): Model<ApiTokenRecord> {
  return conn.model<ApiTokenRecord>('ApiToken', schema);
}
