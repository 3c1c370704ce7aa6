import { noiseReason, SenderBurst } from '../../../../src/adapters/email/mail-noise';

const h = (entries: Record<string, string> = {}) => new Map(Object.entries(entries));
const OWN = ['help@desk.test'];

describe('noiseReason: mail that never opens a ticket or an answer', () => {
  it('lets a person’s mail through', () => {
    expect(noiseReason(h({ 'content-type': 'text/plain' }), 'alice@example.test', OWN)).toBeUndefined();
    expect(noiseReason(h({ 'auto-submitted': 'no' }), 'alice@example.test', OWN)).toBeUndefined();
  });

  it('skips bounces: delivery reports, MAILER-DAEMON, postmaster, a null return path', () => {
    expect(noiseReason(h({ 'content-type': 'multipart/report; report-type=delivery-status' }), 'x@mx.test', OWN)).toBe('bounce');
    expect(noiseReason(h(), 'MAILER-DAEMON@mx.test', OWN)).toBe('bounce');
    expect(noiseReason(h(), 'postmaster@mx.test', OWN)).toBe('bounce');
    expect(noiseReason(h({ 'return-path': '<>' }), 'alice@example.test', OWN)).toBe('bounce');
  });

  it('skips auto-replies and bulk mail', () => {
    expect(noiseReason(h({ 'auto-submitted': 'auto-replied' }), 'alice@example.test', OWN)).toBe('auto_reply');
    expect(noiseReason(h({ 'x-autoreply': 'yes' }), 'alice@example.test', OWN)).toBe('auto_reply');
    expect(noiseReason(h({ 'x-auto-response-suppress': 'All' }), 'alice@example.test', OWN)).toBe('auto_reply');
    expect(noiseReason(h(), 'no-reply@vendor.test', OWN)).toBe('auto_reply');
    for (const p of ['bulk', 'junk', 'list']) expect(noiseReason(h({ precedence: p }), 'alice@example.test', OWN)).toBe('bulk');
    expect(noiseReason(h({ 'list-id': '<news.vendor.test>' }), 'news@vendor.test', OWN)).toBe('bulk');
  });

  it('skips the desk’s own mail and a mail without a sender', () => {
    expect(noiseReason(h(), 'Help@Desk.test', OWN)).toBe('own_address');
    expect(noiseReason(h(), undefined, OWN)).toBe('no_sender');
  });

  it('a sender over 10 mails in 10 minutes is a loop until it calms down', () => {
    const burst = new SenderBurst(10, 600_000);
    const results = Array.from({ length: 12 }, (_, i) => burst.tooMany('robot@x.test', i * 1000));
    expect(results.filter(Boolean)).toHaveLength(2);
    expect(burst.tooMany('robot@x.test', 20 * 60_000)).toBe(false);
    expect(burst.tooMany('alice@example.test', 12_000)).toBe(false);
  });
});
