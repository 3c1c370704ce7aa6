import type { IncomingMessage } from 'node:http';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The host names the playground answers to: loopback, and the host of PUBLIC_URL / HOST when they name one. */
export function playgroundHosts(opts: { publicUrl?: string; host?: string }): Set<string> {
  const hosts = new Set(LOOPBACK);
  if (opts.publicUrl) hosts.add(new URL(opts.publicUrl).hostname.toLowerCase());
  if (opts.host && opts.host !== '0.0.0.0' && opts.host !== '::') hosts.add(opts.host.toLowerCase());
  return hosts;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * Why a request to the playground is not from the playground's own page, or
 * undefined when it is. Another web site the operator visits must not drive
 * it: the Host must be one the playground serves (no DNS rebinding); a
 * browser's `Sec-Fetch-Site` must be same-origin (or none: typed in the
 * address bar); an `Origin` must be the playground's own. State-changing
 * requests must be JSON (a cross-site form post cannot send that without a
 * preflight, which is never granted). Clients that are not browsers send
 * neither header and pass on the Host alone.
 */
export function crossSiteProblem(req: IncomingMessage, hosts: ReadonlySet<string>, opts: { changesState: boolean }): string | undefined {
  const host = header(req, 'host') ?? '';
  if (!hosts.has(hostnameOf(host))) return 'unexpected Host';
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site ${site.slice(0, 20)}`;
  const origin = header(req, 'origin');
  if (origin !== undefined) {
    let same = false;
    try {
      const o = new URL(origin);
      same = o.host.toLowerCase() === host.toLowerCase() && (o.protocol === 'http:' || o.protocol === 'https:');
    } catch {
      same = false;
    }
    if (!same) return 'cross-origin';
  }
  if (opts.changesState && !/^application\/json\b/i.test(header(req, 'content-type') ?? '')) return 'not JSON';
  return undefined;
}
