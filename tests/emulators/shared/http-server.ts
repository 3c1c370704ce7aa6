/**
 * Minimal `node:http` bootstrap shared by the platform emulators (Slack, Teams,
 * Discord, Feishu): listens on 127.0.0.1:0, tracks open sockets so `close()`
 * never hangs on keep-alive connections, and offers small body/JSON helpers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface StartedHttpServer {
  server: http.Server;
  port: number;
  /** e.g. http://127.0.0.1:54321 (no trailing slash) */
  url: string;
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 with an OS-assigned port (or `port` if given). */
export async function startHttpServer(handler: RequestHandler, opts: { port?: number; host?: string } = {}): Promise<StartedHttpServer> {
  const host = opts.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        // An emulator bug must be loud, but must not kill the test process.
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        if (!res.headersSent) {
          sendJson(res, 500, { ok: false, error: 'emulator_internal_error', detail: message });
        } else {
          res.destroy();
        }
      });
  });
  // Idle connections stay open as a real platform front end keeps them (at 1 s, fetch reconnected for every call: 2% of the app's CPU in connect).
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** Reads the whole request body. */
export async function readBody(req: http.IncomingMessage, limitBytes = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limitBytes) throw new Error(`request body larger than ${limitBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function sendText(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Finds a free TCP port on 127.0.0.1 (for SDKs that cannot listen on port 0 and report it back). */
export async function findFreePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
