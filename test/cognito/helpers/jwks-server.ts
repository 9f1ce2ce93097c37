// A JWKS endpoint on 127.0.0.1 that tests can make slow, down, wrong or rotating, counting its hits.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type JwksBehaviour =
  | { kind: 'ok' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'status'; status: number }
  | { kind: 'body'; body: string }
  | { kind: 'reset' };

export interface JwksServer {
  url: string;
  /** Requests received so far. */
  hits: number;
  keys: Record<string, unknown>[];
  behaviour: JwksBehaviour;
  /** Extra text served under `/pem/<kid>` (ALB-style PEM keys). */
  pems: Map<string, string>;
  close(): Promise<void>;
}

/** Starts the server; `keys` is served as `{"keys": [...]}` while behaviour is `ok`. */
export async function startJwksServer(keys: Record<string, unknown>[] = []): Promise<JwksServer> {
  const state: JwksServer = {
    url: '',
    hits: 0,
    keys,
    behaviour: { kind: 'ok' },
    pems: new Map(),
    close: () => Promise.resolve(),
  };
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    state.hits += 1;
    const b = state.behaviour;
    if (req.url?.startsWith('/pem/')) {
      const pem = state.pems.get(req.url.slice(5));
      if (pem === undefined || b.kind !== 'ok') res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(pem);
      return;
    }
    switch (b.kind) {
      case 'ok':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: state.keys }));
        return;
      case 'slow': {
        const t = setTimeout(() => {
          timers.delete(t);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ keys: state.keys }));
        }, b.delayMs);
        timers.add(t);
        return;
      }
      case 'status':
        res.writeHead(b.status).end('{"message":"nope"}');
        return;
      case 'body':
        res.writeHead(200, { 'content-type': 'application/json' }).end(b.body);
        return;
      case 'reset':
        req.socket.destroy();
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    for (const t of timers) clearTimeout(t);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
