/**
 * Where each platform sends its requests: the routes chatdesk serves (tests
 * check they equal the adapters' own constants) and the public base URL.
 */
export const ROUTES = {
  slack: '/slack/events',
  teams: '/teams/messages',
  discord: '/discord/interactions',
  feishuEvents: '/feishu/events',
  feishuCard: '/feishu/card',
} as const;

/** The placeholder the committed manifests use; `--public-url` (or PUBLIC_URL) replaces it. */
export const EXAMPLE_PUBLIC_URL = 'https://chatdesk.example.com';

/** `https://host/base` + `/slack/events`, keeping a path prefix the base may have. */
export function endpoint(publicUrl: string, route: string): string {
  const base = new URL(publicUrl);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}${route}`;
  base.search = '';
  base.hash = '';
  return base.toString();
}
