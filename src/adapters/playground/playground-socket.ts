import type { UpgradeHandler } from '../../server/http-server';
import type { PlaygroundHub } from './playground-hub';
import { crossSiteProblem } from './same-origin';

const USER = /^[A-Za-z0-9._-]{1,32}$/;

/** WS /api/playground/ws?user=ID: pushes new and updated messages the user can see; a cross-origin upgrade is refused (403). */
export function playgroundSocket(hub: PlaygroundHub, hosts: ReadonlySet<string>): UpgradeHandler {
  return (wss, req, socket, head, url) => {
    if (url.pathname !== '/api/playground/ws') return false;
    if (crossSiteProblem(req, hosts, { changesState: false })) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return true;
    }
    const user = url.searchParams.get('user') ?? '';
    if (!USER.test(user)) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return true;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const unsubscribe = hub.subscribe(user, (event) => ws.send(JSON.stringify(event)));
      ws.on('close', unsubscribe);
      ws.on('error', unsubscribe);
    });
    return true;
  };
}
