import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ChatdeskError } from '../../domain/errors';

/** Addresses a webhook must not reach unless configuration allows them: loopback, private, link-local, shared, reserved. */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

/**
 * Which target addresses webhooks may reach. `allow` (CHATDESK_WEBHOOK_ALLOW_PRIVATE)
 * lists private addresses or CIDR ranges that are allowed anyway, or `*` for any.
 * IPv4-mapped IPv6 addresses are checked as the IPv4 address they carry.
 */
export class TargetGuard {
  private readonly allowAll: boolean;
  private readonly allowed = new BlockList();

  constructor(allow: readonly string[] = []) {
    this.allowAll = allow.includes('*');
    for (const entry of allow) {
      if (entry === '*') continue;
      const [addr, bits] = entry.split('/') as [string, string | undefined];
      const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.allowed.addAddress(addr, family);
      else this.allowed.addSubnet(addr, Number(bits), family);
    }
  }

  /** True when a delivery may connect to this address. */
  addressAllowed(address: string): boolean {
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (this.allowAll || this.allowed.check(address, family)) return true;
    return !PRIVATE.check(address, family);
  }

  /** Resolves the URL's host; throws chatdesk_webhook_target_refused when any of its addresses is not allowed (or it does not resolve). */
  async check(url: URL): Promise<string[]> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
      } catch (err) {
        throw new ChatdeskError('chatdesk_webhook_target_refused', `${host} does not resolve`, { host }, { cause: err });
      }
    }
    const refused = addresses.find((a) => !this.addressAllowed(a));
    if (refused || addresses.length === 0) {
      throw new ChatdeskError(
        'chatdesk_webhook_target_refused',
        `${host} resolves to ${refused ?? 'nothing'}, a loopback or private address (set CHATDESK_WEBHOOK_ALLOW_PRIVATE to allow it)`,
        { host },
      );
    }
    return addresses;
  }
}

/** Parses CHATDESK_WEBHOOK_ALLOW_PRIVATE: `*`, or addresses / CIDR ranges separated by commas. Throws naming a bad entry. */
export function parseAllowList(value: string | undefined): string[] {
  if (!value) return [];
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const e of entries) {
    if (e === '*') continue;
    const [addr, bits, extra] = e.split('/');
    const family = isIP(addr ?? '');
    const max = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= max)))
      throw new Error(`"${e}" is not an IP address or CIDR range`);
  }
  return entries;
}
