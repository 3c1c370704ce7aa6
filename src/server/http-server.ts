import type { Route, Upgrade } from '../core/platform-module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger';
import { HttpError, sendJson } from './http-util';

export type RouteHandler = Route;
export type UpgradeHandler = Upgrade;

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** One HTTP server for everything: /slack/events, the playground and /healthz. */
export async function startHttpServer(opts: {
  host: string;
  port: number;
  routes: RouteHandler[];
  upgrades: UpgradeHandler[];
  logger: Logger;
}): Promise<RunningServer> {
  const log = opts.logger.child({ component: 'http' });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (req.method === 'GET' && url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
      for (const route of opts.routes) if (await route(req, res, url)) return;
      sendJson(res, 404, { error: 'not found' });
    } catch (err) {
      if (err instanceof HttpError) return sendJson(res, err.status, { error: err.message });
      log.error({ err, path: url.pathname }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    }
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!opts.upgrades.some((u) => u(wss, req, socket, head, url))) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    server,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
