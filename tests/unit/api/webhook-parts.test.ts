/** The pure parts behind the API and webhooks: the target guard, signatures, the rate limiter, the webhook retry budget. */
import { createHmac } from 'node:crypto';
import { RateLimiter } from '../../../src/api/rate-limiter';
import { hasScope } from '../../../src/api/api-token';
import { signatureHeader, verifySignature } from '../../../src/core/webhooks/signature';
import { parseAllowList, TargetGuard } from '../../../src/core/webhooks/target-guard';
import { WEBHOOK_RETRY_BUDGET } from '../../../src/core/webhooks/webhook-sender';

describe('webhook target guard', () => {
  it('refuses loopback, private, link-local and mapped private addresses; allows public ones', () => {
    const guard = new TargetGuard();
    for (const a of [
      '127.0.0.1',
      '10.2.3.4',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ])
      expect({ a, ok: guard.addressAllowed(a) }).toEqual({ a, ok: false });
    for (const a of ['93.184.216.34', '2606:4700::1111', '8.8.8.8']) expect({ a, ok: guard.addressAllowed(a) }).toEqual({ a, ok: true });
  });

  it('allows what CHATDESK_WEBHOOK_ALLOW_PRIVATE lists, and only that', async () => {
    const guard = new TargetGuard(parseAllowList('127.0.0.1, 10.8.0.0/16'));
    expect(guard.addressAllowed('127.0.0.1')).toBe(true);
    expect(guard.addressAllowed('10.8.200.1')).toBe(true);
    expect(guard.addressAllowed('10.9.0.1')).toBe(false);
    expect(new TargetGuard(['*']).addressAllowed('192.168.0.1')).toBe(true);
    await expect(guard.check(new URL('http://127.0.0.1:9000/x'))).resolves.toEqual(['127.0.0.1']);
    await expect(new TargetGuard().check(new URL('http://127.0.0.1:9000/x'))).rejects.toMatchObject({ code: 'chatdesk_webhook_target_refused' });
    expect(() => parseAllowList('localhost')).toThrow('"localhost" is not an IP address or CIDR range');
    expect(() => parseAllowList('10.0.0.0/33')).toThrow();
  });
});

describe('webhook signatures', () => {
  it('signs HMAC-SHA256 over "<t>.<body>" and verifies in a tolerance window', () => {
    const body = '{"id":"evt_1"}';
    const header = signatureHeader('whsec_x', 1_800_000_000, body);
    expect(header).toBe(`t=1800000000,v1=${createHmac('sha256', 'whsec_x').update(`1800000000.${body}`).digest('hex')}`);
    expect(verifySignature('whsec_x', header, body, 1_800_000_100)).toBe(true);
    expect(verifySignature('whsec_x', header, `${body} `, 1_800_000_100)).toBe(false);
    expect(verifySignature('whsec_y', header, body, 1_800_000_100)).toBe(false);
    expect(verifySignature('whsec_x', header, body, 1_800_000_000 + 301)).toBe(false);
    expect(verifySignature('whsec_x', undefined, body, 1_800_000_000)).toBe(false);
  });
});

describe('API rate limiter and scopes', () => {
  it('lets a burst of `perMinute` through, then asks to wait until a token refills', () => {
    let now = 0;
    const limiter = new RateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now += 1000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
  });

  it('admin includes every scope, write includes read', () => {
    expect(hasScope(['admin'], 'tickets:write')).toBe(true);
    expect(hasScope(['tickets:write'], 'tickets:read')).toBe(true);
    expect(hasScope(['tickets:read'], 'tickets:write')).toBe(false);
    expect(hasScope(['tickets:write'], 'admin')).toBe(false);
  });
});

describe('webhook retry budget', () => {
  it('backs off exponentially to one attempt an hour and keeps trying for 24 h', () => {
    const delays = Array.from({ length: 40 }, (_, i) => WEBHOOK_RETRY_BUDGET.delayMs(i + 1, undefined, () => 0.5));
    expect(delays.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
    expect(Math.max(...delays)).toBe(3_600_000);
    expect(WEBHOOK_RETRY_BUDGET.giveUpAfterMs).toBe(24 * 3_600_000);
    // Attempts before the budget runs out: enough to span the day.
    let t = 0;
    let attempts = 1;
    while (t + WEBHOOK_RETRY_BUDGET.delayMs(attempts, undefined, () => 0.5) < WEBHOOK_RETRY_BUDGET.giveUpAfterMs)
      t += WEBHOOK_RETRY_BUDGET.delayMs(attempts++, undefined, () => 0.5);
    expect(attempts).toBeGreaterThan(30);
  });
});
