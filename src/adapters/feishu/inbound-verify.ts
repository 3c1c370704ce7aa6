import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AESCipher } from '@larksuiteoapi/node-sdk';

export const MAX_SKEW_MS = 5 * 60 * 1000;
const BODY_LIMIT_BYTES = 1024 * 1024;

export type Verified =
  | { kind: 'event'; payload: Record<string, unknown> }
  | { kind: 'challenge'; challenge: string }
  | { kind: 'rejected'; status: 400 | 401 | 413; reason: string };

export interface VerifyOptions {
  encryptKey: string;
  verificationToken?: string;
  now?: () => number;
}

export async function readRawBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** X-Lark-Signature = hex(sha256(timestamp + nonce + encryptKey + raw body bytes)). */
export function larkSignature(timestamp: string, nonce: string, encryptKey: string, raw: Buffer): string {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(timestamp + nonce + encryptKey, 'utf8'), raw]))
    .digest('hex');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function decrypt(body: unknown, encryptKey: string): { payload: Record<string, unknown>; encrypted: boolean } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { encrypt, ...rest } = body as Record<string, unknown>;
  if (typeof encrypt !== 'string') return { payload: rest, encrypted: false }; // plaintext delivery: still signed
  try {
    const plain = JSON.parse(new AESCipher(encryptKey).decrypt(encrypt)) as unknown;
    return plain && typeof plain === 'object' ? { payload: { ...(plain as Record<string, unknown>), ...rest }, encrypted: true } : undefined;
  } catch {
    return undefined;
  }
}

/** The Verification Token sits in `header.token` (schema 2.0) or `token` (1.0 and url_verification). */
function tokenOf(payload: Record<string, unknown>): unknown {
  const h = payload.header as { token?: unknown } | undefined;
  return h?.token ?? payload.token;
}

/**
 * Closes the SDK's gaps before it sees anything: the signature is checked over
 * the raw bytes (the SDK re-serialises the parsed body), the timestamp must be
 * within 5 minutes (the SDK has no replay window), a bad or missing signature
 * is a 401 (the SDK answers 200), and the Verification Token is compared when
 * configured (the SDK ignores it). Feishu's url_verification is the one
 * unsigned request: it is answered only when it decrypts with our key and
 * carries our token.
 */
export async function verifyLarkRequest(req: IncomingMessage, opts: VerifyOptions): Promise<Verified> {
  const raw = await readRawBody(req);
  if (!raw) return { kind: 'rejected', status: 413, reason: 'body too large' };
  const timestamp = header(req, 'x-lark-request-timestamp');
  const nonce = header(req, 'x-lark-request-nonce');
  const signature = header(req, 'x-lark-signature');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return { kind: 'rejected', status: signature ? 400 : 401, reason: 'body is not JSON' };
  }
  const signed = !!(timestamp && nonce && signature);
  if (signed) {
    if (!sameHex(larkSignature(timestamp, nonce, opts.encryptKey, raw), signature.toLowerCase()))
      return { kind: 'rejected', status: 401, reason: 'bad signature' };
    const sentAt = Number(timestamp) * 1000;
    const now = (opts.now ?? Date.now)();
    if (!Number.isFinite(sentAt) || Math.abs(now - sentAt) > MAX_SKEW_MS) return { kind: 'rejected', status: 401, reason: 'stale timestamp' };
  }
  const opened = decrypt(parsed, opts.encryptKey);
  if (!opened) return { kind: 'rejected', status: 401, reason: 'cannot decrypt' };
  const { payload, encrypted } = opened;
  if (opts.verificationToken && tokenOf(payload) !== opts.verificationToken) return { kind: 'rejected', status: 401, reason: 'wrong verification token' };
  const challenge = payload.type === 'url_verification' && typeof payload.challenge === 'string' ? payload.challenge : undefined;
  // Unsigned, only a challenge that decrypted with our key counts (it proves the key, and answering runs no handler).
  if (challenge !== undefined && (signed || encrypted)) return { kind: 'challenge', challenge };
  if (!signed) return { kind: 'rejected', status: 401, reason: 'missing signature' };
  return { kind: 'event', payload };
}
