/**
 * Mail that must never open a ticket or a reply: bounces, auto-replies, list
 * and bulk mail, and the desk's own mail coming back. Pure: it reads headers
 * (lower-case names, raw values) and the sender's address.
 */
export type NoiseReason = 'own_address' | 'bounce' | 'auto_reply' | 'bulk' | 'no_sender';

/** Local parts that only MTAs send bounces from (RFC 5321 postmaster, MAILER-DAEMON). */
const BOUNCE_SENDERS = /^(mailer-daemon|mailerdaemon|mail-daemon|postmaster)$/i;
/** Local parts of notification senders nobody reads answers to. */
const NO_REPLY_SENDERS = /^(no-?reply|do-?not-?reply)$/i;

export function noiseReason(headers: ReadonlyMap<string, string>, from: string | undefined, own: readonly string[]): NoiseReason | undefined {
  if (!from) return 'no_sender';
  const sender = from.toLowerCase();
  if (own.includes(sender)) return 'own_address';
  const h = (name: string) => headers.get(name)?.trim().toLowerCase();
  // Delivery status notifications (RFC 3464) and the headers MTAs add to bounces.
  const type = h('content-type') ?? '';
  if (type.startsWith('multipart/report') || h('x-failed-recipients') !== undefined) return 'bounce';
  const local = sender.split('@')[0] ?? '';
  if (BOUNCE_SENDERS.test(local)) return 'bounce';
  if (NO_REPLY_SENDERS.test(local)) return 'auto_reply';
  // A null reverse path (`Return-Path: <>`) is what bounces and other automatic notices carry.
  if (h('return-path') === '<>') return 'bounce';
  // RFC 3834: anything other than `no` is automatic.
  const auto = h('auto-submitted');
  if (auto !== undefined && auto !== 'no' && !auto.startsWith('no;')) return 'auto_reply';
  if (h('x-autoreply') !== undefined || h('x-autorespond') !== undefined || h('x-autoresponder') !== undefined) return 'auto_reply';
  const suppress = h('x-auto-response-suppress');
  if (suppress && /\b(all|oof|autoreply)\b/.test(suppress)) return 'auto_reply';
  const precedence = h('precedence');
  if (precedence && /^(bulk|junk|list|auto_reply)$/.test(precedence)) return 'bulk';
  if (h('list-id') !== undefined || h('list-unsubscribe') !== undefined) return 'bulk';
  return undefined;
}

/**
 * A loop breaker for senders that ignore all of the above (an auto-responder
 * without headers): more than `limit` mails from one address within `windowMs`
 * are skipped until it calms down. Kept in memory, per process.
 */
export class SenderBurst {
  private readonly seen = new Map<string, number[]>();

  constructor(
    private readonly limit = 10,
    private readonly windowMs = 10 * 60 * 1000,
  ) {}

  /** Counts this mail; true when the sender is over the limit. */
  tooMany(sender: string, now: number): boolean {
    const recent = (this.seen.get(sender) ?? []).filter((t) => now - t < this.windowMs);
    recent.push(now);
    this.seen.set(sender, recent);
    if (this.seen.size > 10_000) for (const [k, v] of this.seen) if (v.every((t) => now - t >= this.windowMs)) this.seen.delete(k);
    return recent.length > this.limit;
  }
}
