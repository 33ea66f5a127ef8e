import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveSimOptions, type SimOptions } from './options.js';
import { errorBody, parseSimRequest, SimHttpError, type SimApi } from './protocol.js';
import { SimResponder } from './responder.js';
import { realClock, SimScheduler, type SimClock } from './scheduler.js';
import { promptKey, TimingLog } from './timing-log.js';

export interface SimServer {
  /** Base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  port: number;
  /** Closes the listener and every open socket (in-flight streams are cut). */
  close(): Promise<void>;
  stats(): { running: number; waiting: number; served: number };
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const JSON_HEADERS = { 'content-type': 'application/json' };

function sendJson(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, message: string, type: string, param: string | null = null): void {
  sendJson(res, status, errorBody(status, message, type, param));
}

/** Host part of a URL clients can connect to (wildcards become loopback, IPv6 gets brackets). */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Start the simulated OpenAI-compatible server (vLLM shapes, continuous-batching timing).
 * `opts.port` 0 picks a free port. `clock` is for tests only.
 */
export async function startSimServer(input: SimOptions, clock: SimClock = realClock): Promise<SimServer> {
  const opts = resolveSimOptions(input);
  const scheduler = new SimScheduler(opts, clock);
  const modelsBody = JSON.stringify({
    object: 'list',
    data: [
      { id: opts.model, object: 'model', created: Math.floor(Date.now() / 1000), owned_by: 'evalperf-sim', root: opts.model, parent: null },
    ],
  });
  let closing = false;
  const timingLog = opts.timingLog ? new TimingLog(opts.timingLog) : null;

  const generate = (api: SimApi, req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('error', () => {});
    req.on('data', (c: Buffer) => {
      if (tooBig) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        tooBig = true;
        chunks.length = 0;
        res.setHeader('connection', 'close');
        sendError(res, 413, `request body larger than ${MAX_BODY_BYTES} bytes`, 'BadRequestError');
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (tooBig || res.destroyed) return;
      if (closing) return sendError(res, 503, 'simulator is shutting down', 'ServiceUnavailableError');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
      } catch (err) {
        return sendError(res, 400, `invalid JSON body: ${(err as Error).message}`, 'BadRequestError');
      }
      try {
        const sreq = parseSimRequest(api, body);
        if (opts.strictModel && sreq.model !== undefined && sreq.model !== opts.model) {
          throw new SimHttpError(404, `The model \`${sreq.model}\` does not exist.`, 'NotFoundError', 'model');
        }
        const outputTokens = scheduler.outputLength(sreq.maxTokens, sreq.minTokens);
        const key = timingLog ? promptKey(body as Record<string, unknown>) : null;
        const responder = new SimResponder(res, sreq, sreq.model ?? opts.model, scheduler, timingLog, key);
        responder.seq = scheduler.submit(sreq.promptTokens, outputTokens, responder);
      } catch (err) {
        if (err instanceof SimHttpError) return sendError(res, err.status, err.message, err.type, err.param);
        return sendError(res, 500, `simulator error: ${String(err)}`, 'InternalServerError');
      }
    });
  };

  const server = createServer(
    { noDelay: true, keepAlive: true, requestTimeout: 0, headersTimeout: 0, keepAliveTimeout: 65_000 },
    (req, res) => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const method = req.method ?? 'GET';
      switch (path) {
        case '/v1/chat/completions':
        case '/v1/completions':
          if (method !== 'POST') return sendError(res, 405, 'Method Not Allowed', 'MethodNotAllowedError');
          return generate(path === '/v1/completions' ? 'completions' : 'chat', req, res);
        case '/v1/models':
          if (method !== 'GET' && method !== 'HEAD') return sendError(res, 405, 'Method Not Allowed', 'MethodNotAllowedError');
          return sendJson(res, 200, modelsBody);
        case '/health':
          if (method !== 'GET' && method !== 'HEAD') return sendError(res, 405, 'Method Not Allowed', 'MethodNotAllowedError');
          res.writeHead(200, { 'content-length': 0 });
          return res.end();
        default:
          req.resume();
          return sendError(res, 404, `Not Found: ${method} ${path}`, 'NotFoundError');
      }
    },
  );
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 0;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host: opts.host, port: opts.port, backlog: 4096 }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => process.emitWarning(`simulator server error: ${err.message}`));
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost(opts.host)}:${port}/v1`,
    port,
    stats: () => ({ running: scheduler.running, waiting: scheduler.waiting, served: scheduler.served }),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        scheduler.stop();
        server.close(() => void (timingLog?.close() ?? Promise.resolve()).then(() => resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
