import type { ModelFigures } from './model-figures';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { KnowledgeStore } from '../ai/knowledge/knowledge-store.port';
import type { CallbackAction } from '../core/cards/card';
import { teamForCategory } from '../domain/ticket/routing';
import { knowledgePage } from './knowledge-page';
import { feedbackForError } from '../core/actor-feedback';
import type { HelpDesk } from '../core/help-desk';
import type { Route } from '../core/platform-module';
import { visibleTeams } from '../core/desk-queries';
import { isChatdeskError } from '../domain/errors';
import type { Roles } from '../domain/access/roles';
import { type Ticket, type UserRef, userKey } from '../domain/ticket/ticket';
import type { Logger } from '../logger';
import { findWebRoot } from '../server/web-root';
import type { ConsoleSession } from './console-auth.port';
import { consoleRole } from './console-role';
import { type ConsoleSignIn, SIGN_IN_PATH } from './console-sign-in';
import { REFUSAL_TEXT, ROUTE_TEXT } from './console-route-text';
import { type ConsoleLocale, consoleLocale, LANG_COOKIE, LANG_PATH, pick } from './console-text';
import { esc, layout, messagePage, type Viewer } from './html';
import { OIDC_CALLBACK_PATH, OIDC_START_PATH, OIDC_STATE_TTL_MS, type OidcRefusal, type OidcSignIn } from './oidc-sign-in';
import { EXPORT_MAX, ticketsCsv, ticketsJson } from './queue-export';
import { queuePage } from './queue-page';
import { parseQueueQuery } from './queue-query';
import type { QueueScope, QueueService } from './queue-service';
import type { ReportService } from './report-service';
import { MAX_SAVED_VIEWS, type SavedViewStore, VIEW_NAME_MAX, viewNameOf, viewQueryOf } from './saved-views';
import { reportsPage, parseReportRange } from './reports-page';
import { reportCsv } from './report-export';
import { ticketPage } from './ticket-page';

export const COOKIE = 'chatdesk_console';

/** Binds a sign-in at the identity provider to the browser that started it (10 minutes, only sent to /console/oidc). */
export const OIDC_COOKIE = 'chatdesk_oidc';
const FORM_LIMIT = 16 * 1024;
const ASSETS: Record<string, string> = { 'console.css': 'text/css; charset=utf-8' };

export interface ConsoleRoutesDeps {
  signIn: ConsoleSignIn;
  /** Sign-in with the company's identity provider, beside the messenger's link (unset: the link only). */
  oidc?: OidcSignIn;
  /** The knowledge entries (the knowledge page lists them; edits and rejections go through the core). */
  knowledge: KnowledgeStore;
  desk: HelpDesk;
  queue: QueueService;
  /** Each person's saved queue views. */
  views: SavedViewStore;
  reports: ReportService;
  /** The offline classifier's figures, shown on the reports page (unset: not shown). */
  model?: () => ModelFigures;
  /** Cookies get `Secure` when the public URL is https. */
  secure: boolean;
  zone: string;
  now: () => Date;
  logger: Logger;
}

/**
 * The web console at /console: sign-in through a link from the messenger,
 * then the queue, ticket pages, exports and reports, each limited to what the
 * person may see. Server-rendered HTML; every POST carries the session's CSRF
 * token and must come from this site.
 */
export function createConsoleRoutes(deps: ConsoleRoutesDeps): Route {
  const log = deps.logger.child({ component: 'console' });
  const dir = path.join(findWebRoot('console/console.css'), 'console');
  const assets = new Map(Object.keys(ASSETS).map((name) => [name, readFileSync(path.join(dir, name))]));

  const viewerOf = (session: ConsoleSession, roles: Roles, locale: ConsoleLocale): Viewer => ({
    locale,
    name: session.user.name ?? session.user.id,
    role: consoleRole(roles),
    csrf: session.csrf,
  });

  const scopeOf = (user: UserRef, roles: Roles): QueueScope => {
    const teams = visibleTeams(roles, deps.desk.desk);
    if (teams === 'all') return { kind: 'all' };
    return teams.length > 0 ? { kind: 'teams', teams } : { kind: 'own', user };
  };

  return async (req, res, url) => {
    if (url.pathname !== '/console' && !url.pathname.startsWith('/console/')) return false;
    const p = url.pathname;
    if (req.method === 'GET' && p === LANG_PATH) return languageRoute(req, res, url);
    const locale = consoleLocale(cookieOf(req, LANG_COOKIE), req.headers['accept-language'], deps.desk.desk.locale);
    const tx = (k: keyof (typeof ROUTE_TEXT)['en'], params: Record<string, string> = {}) => pick(ROUTE_TEXT, locale, k, params);
    if (req.method === 'GET' && p.startsWith('/console/assets/')) return asset(res, assets, p.slice('/console/assets/'.length));
    if (p.startsWith(SIGN_IN_PATH)) return signInRoute(req, res, p.slice(SIGN_IN_PATH.length), locale);
    if (p === OIDC_START_PATH || p === OIDC_CALLBACK_PATH) return oidcRoute(req, res, url, locale);
    const cookie = cookieOf(req, COOKIE);
    const session = await deps.signIn.session(cookie);
    if (!session) {
      if (req.method === 'GET')
        return html(
          res,
          401,
          deps.oidc
            ? signInPage(tx('signIn'), tx('signInOr', { provider: deps.oidc.name }), locale)
            : signInPage(tx('signInMessenger'), tx('signInHow'), locale),
        );
      return html(res, 401, signInPage(tx('signedOut'), tx('sessionEnded', { again: againText(locale) }), locale));
    }
    if (req.method === 'POST') {
      const form = await readForm(req);
      if (!sameSite(req) || !sameToken(form.get('csrf') ?? req.headers['x-csrf-token']?.toString() ?? '', session.csrf)) {
        log.warn({ path: p }, 'console: a state-changing request without a valid CSRF token was refused');
        return html(res, 403, messagePage(tx('refused'), tx('csrf'), undefined, locale));
      }
      if (p === '/console/sign-out') {
        await deps.signIn.signOut(cookie);
        res.setHeader('set-cookie', cookieHeader(COOKIE, '', 0));
        return html(res, 200, signInPage(tx('signedOut'), tx('youSignedOut', { again: againText(locale) }), locale));
      }
      if (p === '/console/views') return viewSave(res, session, form, locale);
      const dv = /^\/console\/views\/(v-[A-Za-z0-9_-]{12})\/delete$/.exec(p);
      if (dv) {
        const gone = await deps.views.remove(session.user, dv[1]!);
        return redirect(res, `/console/queue?${gone ? `done=${encodeURIComponent(tx('viewDeleted'))}` : `error=${encodeURIComponent(tx('noView'))}`}`);
      }
      const kb = /^\/console\/knowledge\/(kb-[0-9a-f]{24})\/(edit|reject)$/i.exec(p);
      if (kb) return knowledgePost(res, session, kb[1]!.toLowerCase(), kb[2] as 'edit' | 'reject', form);
      const m = /^\/console\/tickets\/([A-Za-z]{1,6}-\d+)\/(actions|notes)$/.exec(p);
      if (m) return ticketPost(res, session, m[1]!.toUpperCase(), m[2] as 'actions' | 'notes', form);
      return html(res, 404, messagePage(tx('notFound'), tx('noPage'), undefined, locale));
    }
    if (req.method !== 'GET') return html(res, 405, messagePage(tx('notAllowed'), tx('method'), undefined, locale));
    const roles = await deps.desk.access.roles(session.user);
    const viewer = viewerOf(session, roles, locale);
    const scope = scopeOf(session.user, roles);
    if (p === '/console' || p === '/console/') return redirect(res, '/console/queue');
    if (p === '/console/queue') {
      const query = parseQueueQuery(url.searchParams);
      const words = (url.searchParams.get('q') ?? '').trim();
      if (/^[A-Za-z]{1,6}-\d+$/.test(words)) return redirect(res, `/console/tickets/${words.toUpperCase()}`);
      const result = await deps.queue.page(scope, query, session.user);
      const teams = scope.kind === 'all' ? deps.desk.desk.teams : scope.kind === 'teams' ? deps.desk.desk.teams.filter((t) => scope.teams.includes(t.id)) : [];
      return html(
        res,
        200,
        queuePage({
          viewer,
          desk: deps.desk.desk,
          sla: deps.desk.sla,
          zone: deps.zone,
          query,
          raw: url.searchParams,
          result,
          now: deps.now(),
          teams,
          views: await deps.views.list(session.user),
          ...flashOf(url.searchParams),
        }),
      );
    }
    if (p === '/console/export.csv' || p === '/console/export.json') {
      const result = await deps.queue.all(scope, parseQueueQuery(url.searchParams), session.user, EXPORT_MAX);
      const csv = p.endsWith('.csv');
      const body = csv ? ticketsCsv(result.tickets, deps.now(), deps.desk.sla) : ticketsJson(result.tickets, deps.now(), deps.desk.sla);
      res.writeHead(200, {
        'content-type': csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="tickets.${csv ? 'csv' : 'json'}"`,
        ...securityHeaders(),
      });
      res.end(body);
      return true;
    }
    const tm = /^\/console\/tickets\/([A-Za-z]{1,6}-\d+)$/.exec(p);
    if (tm) return ticketGet(res, session, viewer, tm[1]!.toUpperCase(), url.searchParams);
    if (p === '/console/reports' || p === '/console/reports.json' || p === '/console/reports.csv') {
      if (scope.kind === 'own') return html(res, 403, messagePage(tx('reportsAgents'), tx('yourRequests'), viewer));
      const range = parseReportRange(url.searchParams, deps.now(), deps.zone);
      const report = await deps.reports.report(scope.kind === 'all' ? 'all' : scope.teams, range);
      if (p.endsWith('.json')) {
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': 'attachment; filename="report.json"',
          ...securityHeaders(),
        });
        res.end(JSON.stringify(report, null, 1));
        return true;
      }
      if (p.endsWith('.csv')) {
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="report.csv"', ...securityHeaders() });
        res.end(reportCsv(report));
        return true;
      }
      return html(res, 200, reportsPage({ viewer, report, range, desk: deps.desk.desk, ...(deps.model ? { model: deps.model() } : {}) }));
    }
    if (p === '/console/knowledge') {
      if (scope.kind === 'own') return html(res, 403, messagePage(tx('knowledgeAgents'), tx('yourRequests'), viewer));
      const entries = (await deps.knowledge.listActive(500)).filter(
        (e) => scope.kind === 'all' || scope.teams.includes(teamForCategory(deps.desk.desk, e.category).id),
      );
      return html(res, 200, knowledgePage({ viewer, entries, zone: deps.zone, ...flashOf(url.searchParams) }));
    }
    return html(res, 404, messagePage(tx('notFound'), tx('noPage'), viewer));
  };

  /** Saves the queue's filters under a name for this person; back to the queue with those filters. */
  async function viewSave(res: ServerResponse, session: ConsoleSession, form: URLSearchParams, locale: ConsoleLocale): Promise<true> {
    const tx = (k: keyof (typeof ROUTE_TEXT)['en'], params: Record<string, string | number> = {}) => encodeURIComponent(pick(ROUTE_TEXT, locale, k, params));
    const query = viewQueryOf(form.get('query'));
    const back = (flash: string) => redirect(res, `/console/queue?${query}&${flash}`);
    const name = viewNameOf(form.get('name'));
    if (!name) return back(`error=${tx('viewName', { max: VIEW_NAME_MAX })}`);
    const saved = await deps.views.add(session.user, { name, query }, deps.now());
    if (saved === 'full') return back(`error=${tx('viewsFull', { max: MAX_SAVED_VIEWS })}`);
    if (saved === 'taken') return back(`error=${tx('viewTaken', { name })}`);
    return back(`done=${tx('viewSaved', { name })}`);
  }

  async function knowledgePost(res: ServerResponse, session: ConsoleSession, id: string, kind: 'edit' | 'reject', form: URLSearchParams): Promise<true> {
    const back = (q: string) => redirect(res, `/console/knowledge?${q}`);
    const entry = await deps.knowledge.findById(id);
    if (!entry) return back(`error=${encodeURIComponent(`No knowledge entry ${id}.`)}`);
    try {
      // The chat path: `/ticket kb <id> <answer>` and the Reject button under the card, with their permission check (agents of the ticket's team).
      if (kind === 'edit') {
        const answer = (form.get('answer') ?? '').trim().slice(0, 3000);
        if (!answer) return back(`error=${encodeURIComponent('An answer needs text.')}`);
        const reply = await deps.desk.runCommand({ kind: 'kb', target: id, text: answer }, session.user, deps.desk.desk.locale);
        return back(`done=${encodeURIComponent(reply.text)}`);
      }
      const ticket = await deps.desk.findTicket(entry.ticketKey);
      const result = await deps.desk.cardAction('kb_reject', `${ticket.id}~${id}`, session.user);
      return back(`done=${encodeURIComponent(result.reply?.text ?? `${id} rejected.`)}`);
    } catch (err) {
      const feedback = feedbackForError(err, deps.desk.desk.locale, id);
      if (!feedback.expected) log.error({ err, entry: id }, 'console: a knowledge change failed');
      return back(`error=${encodeURIComponent(feedback.text)}`);
    }
  }

  async function signInRoute(req: IncomingMessage, res: ServerResponse, token: string, locale: ConsoleLocale): Promise<true> {
    const tx = (k: keyof (typeof ROUTE_TEXT)['en']) => pick(ROUTE_TEXT, locale, k);
    // GET only shows a button: link previews (Slack unfurls, mail scanners) fetch links, and must not use them up.
    if (req.method === 'GET') {
      const body = `<section class="message"><h1>${esc(tx('signInTitle'))}</h1>
<form method="post"><button type="submit" data-sign-in>${esc(tx('signInButton'))}</button></form>
<p class="note">${esc(tx('linkNote'))}</p></section>`;
      return html(res, 200, layout({ title: tx('signIn'), locale, body }));
    }
    if (req.method !== 'POST' || !sameSite(req)) return html(res, 403, messagePage(tx('refused'), tx('openLink'), undefined, locale));
    const outcome = await deps.signIn.signIn(token);
    if (!outcome.ok) {
      log.info({ why: outcome.why }, 'console: a sign-in link was refused');
      return html(res, 403, signInPage(tx('linkRefused'), tx(outcome.why), locale));
    }
    return signedIn(res, outcome, 'link');
  }

  /** The session cookie for a person just signed in (by link or identity provider), and on to their queue. */
  function signedIn(res: ServerResponse, opened: { cookie: string; session: ConsoleSession }, via: 'link' | 'oidc', extraCookies: string[] = []): true {
    log.info({ user: userKey(opened.session.user), via }, 'console: signed in');
    const maxAgeS = Math.floor((opened.session.expiresAt.getTime() - deps.now().getTime()) / 1000);
    res.setHeader('set-cookie', [cookieHeader(COOKIE, opened.cookie, maxAgeS), ...extraCookies]);
    return redirect(res, '/console/queue');
  }

  /** `/console/oidc/start` sends the browser to the identity provider; `/console/oidc/callback` is where it comes back. */
  async function oidcRoute(req: IncomingMessage, res: ServerResponse, url: URL, locale: ConsoleLocale): Promise<true> {
    const oidc = deps.oidc;
    if (!oidc) return html(res, 404, messagePage(pick(ROUTE_TEXT, locale, 'notFound'), pick(ROUTE_TEXT, locale, 'noPage'), undefined, locale));
    if (req.method !== 'GET') return html(res, 405, messagePage(pick(ROUTE_TEXT, locale, 'notAllowed'), pick(ROUTE_TEXT, locale, 'method'), undefined, locale));
    const browser = cookieOf(req, OIDC_COOKIE);
    if (url.pathname === OIDC_START_PATH) {
      const started = await oidc.start(browser);
      if (!started) {
        const refused = oidcRefusal('unavailable', oidc.name, '', '', locale);
        return html(res, refused.status, signInPage(refused.title, refused.text, locale));
      }
      res.setHeader('set-cookie', cookieHeader(OIDC_COOKIE, started.browser, OIDC_STATE_TTL_MS / 1000, '/console/oidc'));
      return redirect(res, started.location);
    }
    const outcome = await oidc.callback(url.searchParams, browser);
    if (outcome.ok) return signedIn(res, await deps.signIn.openSession(outcome.user), 'oidc', [cookieHeader(OIDC_COOKIE, '', 0, '/console/oidc')]);
    log.info({ why: outcome.why, ...(outcome.error ? { error: outcome.error } : {}) }, 'console: a sign-in with the identity provider was refused');
    const refused = oidcRefusal(outcome.why, oidc.name, outcome.email ?? '', outcome.error ?? '', locale);
    return html(res, refused.status, signInPage(refused.title, refused.text, locale));
  }

  /** How to sign in again, as the page that says a session ended or a sign-in failed ends. */
  function againText(locale: ConsoleLocale): string {
    return deps.oidc ? pick(ROUTE_TEXT, locale, 'againOidc', { provider: deps.oidc.name }) : pick(ROUTE_TEXT, locale, 'again');
  }

  /** A page that says why someone is not signed in, with the way to sign in with the identity provider when it is on. */
  function signInPage(title: string, text: string, locale: ConsoleLocale): string {
    const provider = deps.oidc
      ? `<p><a class="button" href="${OIDC_START_PATH}" data-oidc-sign-in>${esc(pick(ROUTE_TEXT, locale, 'signInWith', { provider: deps.oidc.name }))}</a></p>`
      : '';
    return layout({ title, locale, body: `<section class="message"><h1>${esc(title)}</h1><p>${esc(text)}</p>${provider}</section>` });
  }

  async function visibleTicket(user: UserRef, key: string): Promise<Ticket | undefined> {
    const ticket = await deps.desk.findTicket(key).catch((err: unknown) => {
      if (isChatdeskError(err, 'chatdesk_ticket_not_found')) return undefined;
      throw err;
    });
    return ticket && (await deps.desk.access.allows(user, 'view', ticket)) ? ticket : undefined;
  }

  async function ticketGet(res: ServerResponse, session: ConsoleSession, viewer: Viewer, key: string, params: URLSearchParams): Promise<true> {
    const ticket = await visibleTicket(session.user, key);
    // A ticket the person may not see is as absent as one that does not exist.
    if (!ticket) return html(res, 404, messagePage(pick(ROUTE_TEXT, viewer.locale, 'notFound'), pick(ROUTE_TEXT, viewer.locale, 'noTicket', { key }), viewer));
    const agentView = await deps.desk.access.allows(session.user, 'note', ticket);
    const card = deps.desk.notifier.card(ticket).card;
    const actions = (card?.actions ?? []).filter((a): a is CallbackAction => a.value !== undefined);
    const done = params.get('done');
    const error = params.get('error');
    const flash = done ? { ok: true, text: done.slice(0, 300) } : error ? { ok: false, text: error.slice(0, 300) } : undefined;
    return html(
      res,
      200,
      ticketPage({
        viewer,
        agentView,
        ticket,
        actions,
        desk: deps.desk.desk,
        sla: deps.desk.sla,
        zone: deps.zone,
        now: deps.now(),
        ...(flash ? { flash } : {}),
      }),
    );
  }

  async function ticketPost(res: ServerResponse, session: ConsoleSession, key: string, kind: 'actions' | 'notes', form: URLSearchParams): Promise<true> {
    const ticket = await visibleTicket(session.user, key);
    if (!ticket) return html(res, 404, messagePage('Not found', `No ticket ${key} that you can see.`));
    const back = (q: string) => redirect(res, `/console/tickets/${encodeURIComponent(key)}?${q}`);
    try {
      if (kind === 'notes') {
        const text = (form.get('text') ?? '').trim().slice(0, 2000);
        if (!text) return back(`error=${encodeURIComponent('A note needs text.')}`);
        await deps.desk.access.check(session.user, 'note', ticket);
        await deps.desk.act(ticket.id, { kind: 'note', text }, session.user);
        return back(`done=${encodeURIComponent('Note added (agents only).')}`);
      }
      const action = (form.get('action') ?? '').slice(0, 40);
      // The card's own path: the same permission check, the card updated in place in chat, the requester told.
      const result = await deps.desk.cardAction(action, ticket.id, session.user);
      return back(`done=${encodeURIComponent(result.reply?.text ?? `${action.replace(/_/g, ' ')}: done.`)}`);
    } catch (err) {
      const feedback = feedbackForError(err, deps.desk.desk.locale, ticket.id);
      if (!feedback.expected) log.error({ err, ticket: key }, 'console: a ticket action failed');
      return back(`error=${encodeURIComponent(feedback.text)}`);
    }
  }

  /** The header's language switch: the choice kept a year in a cookie, then back to the console page it came from (its Referer). */
  function languageRoute(req: IncomingMessage, res: ServerResponse, url: URL): true {
    const to = url.searchParams.get('to');
    let back = '/console/queue';
    try {
      const from = new URL(String(req.headers.referer ?? ''));
      if (from.host === req.headers.host && from.pathname.startsWith('/console') && from.pathname !== LANG_PATH) back = from.pathname + from.search;
    } catch {
      // no Referer, or not a URL: the queue
    }
    if (to === 'en' || to === 'zh') res.setHeader('set-cookie', cookieHeader(LANG_COOKIE, to, 365 * 24 * 3600));
    return redirect(res, back);
  }

  function cookieHeader(name: string, value: string, maxAgeS: number, cookiePath = '/console'): string {
    return `${name}=${value}; Path=${cookiePath}; HttpOnly; SameSite=Lax; Max-Age=${Math.max(0, maxAgeS)}${deps.secure ? '; Secure' : ''}`;
  }
}

/** Why a sign-in with the identity provider did not sign anyone in, as the person reads it (nothing secret: no token, no code). */
function oidcRefusal(why: OidcRefusal, provider: string, email: string, error: string, locale: ConsoleLocale): { status: number; title: string; text: string } {
  const tx = (k: keyof (typeof REFUSAL_TEXT)['en']) => pick(REFUSAL_TEXT, locale, k, { provider, email, error });
  switch (why) {
    case 'unknown_state':
    case 'used':
    case 'expired':
    case 'other_browser':
    case 'code_refused':
    case 'invalid_token':
      return { status: 400, title: tx('failed'), text: `${tx(why)} ${tx('again')}` };
    case 'provider_error':
      return { status: 401, title: tx('notSignedIn'), text: `${tx(why)} ${tx('again')}` };
    case 'unavailable':
      return { status: 502, title: tx('unreachable'), text: tx(why) };
    case 'no_email':
    case 'email_unverified':
    case 'unknown_person':
      return { status: 403, title: tx('refused'), text: tx(why) };
  }
}

/** The line a redirect after a change carries back (`done=` / `error=`), shown as text. */
function flashOf(params: URLSearchParams): { flash?: { ok: boolean; text: string } } {
  const done = params.get('done');
  const error = params.get('error');
  if (done) return { flash: { ok: true, text: done.slice(0, 300) } };
  return error ? { flash: { ok: false, text: error.slice(0, 300) } } : {};
}

function securityHeaders(): Record<string, string> {
  return {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'content-security-policy':
      "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  };
}

function html(res: ServerResponse, status: number, body: string): true {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...securityHeaders() });
  res.end(body);
  return true;
}

function redirect(res: ServerResponse, location: string): true {
  res.writeHead(303, { location, ...securityHeaders() });
  res.end();
  return true;
}

function asset(res: ServerResponse, assets: Map<string, Buffer>, name: string): true {
  const data = assets.get(name);
  if (!data) return html(res, 404, messagePage('Not found', 'No such file.'));
  res.writeHead(200, { 'content-type': ASSETS[name]!, 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' });
  res.end(data);
  return true;
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** A browser's POST from another site says so (Sec-Fetch-Site, Origin); the CSRF token is the check that does not rely on them. */
function sameSite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return origin === undefined;
  try {
    return new URL(origin).host.toLowerCase() === String(req.headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > FORM_LIMIT) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
