import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** Discord refuses interactions older than this; so do we (replay window). */
export const MAX_SIGNATURE_AGE_SEC = 5 * 60;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The application's public key (64 hex digits from the developer portal) as a node:crypto key. */
export function discordPublicKey(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/**
 * `X-Signature-Ed25519` is Ed25519 over `timestamp + rawBody`. A missing or
 * malformed header, a bad signature, or a timestamp more than five minutes
 * away from now all fail.
 */
export function verifyDiscordSignature(
  key: KeyObject,
  headers: { signature?: string; timestamp?: string },
  rawBody: Buffer,
  nowSec = Date.now() / 1000,
): boolean {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp || !/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSec - Number(timestamp)) > MAX_SIGNATURE_AGE_SEC) return false;
  return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]), key, Buffer.from(signature, 'hex'));
}
