import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveSimOptions, type SimOptions } from './options.js';
import { errorBody, parseSimRequest, SimHttpError, type SimApi } from './protocol.js';
import { SimResponder } from './responder.js';
import { realClock, SimScheduler, type SimClock } from './scheduler.js';
import { FaultPicker, SLOW_HEADERS_MS, type FaultKind } from './faults.js';
import { epochNow, promptKey, RequestLog, type RequestLogEntry } from './request-log.js';
import { SSE_HEADERS } from './responder.js';
import { parseEmbeddingRequest, parseRerankRequest, type PoolingApi } from './pooling.js';
import { PoolingResponder } from './pooling-responder.js';

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
  const log = opts.requestLog ? new RequestLog(opts.requestLog) : null;
  const faults = new FaultPicker(opts.faults, opts.seed);

  /** Faults that act before the request is admitted. true: the request was handled here. */
  const injectEarly = (fault: FaultKind | null, entry: RequestLogEntry | null, stream: boolean, res: ServerResponse): boolean => {
    const done = () => entry && log!.write(entry);
    switch (fault) {
      case '500':
      case '503':
      case '400': {
        const status = Number(fault);
        const type = status === 400 ? 'BadRequestError' : status === 500 ? 'InternalServerError' : 'ServiceUnavailableError';
        sendError(res, status, `injected fault: HTTP ${status}`, type);
        return (done(), true);
      }
      case '429':
        res.setHeader('retry-after', '1');
        sendError(res, 429, 'injected fault: rate limited', 'RateLimitError');
        return (done(), true);
      case 'error-200':
        sendJson(res, 200, errorBody(500, 'injected fault: error in a 200 response', 'InternalServerError'));
        return (done(), true);
      case 'reset':
        res.socket?.resetAndDestroy();
        return (done(), true);
      case 'stall':
        // Headers, then nothing until the client gives up and closes.
        res.writeHead(200, stream ? SSE_HEADERS : JSON_HEADERS);
        res.flushHeaders();
        return (done(), true);
      default:
        return false;
    }
  };

  /** Read and parse a JSON body, then hand it over; answers 413 / 400 / 503 itself. */
  const readJson = (req: IncomingMessage, res: ServerResponse, then: (body: unknown) => void): void => {
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
        then(body);
      } catch (err) {
        if (err instanceof SimHttpError) return sendError(res, err.status, err.message, err.type, err.param);
        return sendError(res, 500, `simulator error: ${String(err)}`, 'InternalServerError');
      }
    });
  };

  const checkModel = (model: string | undefined): void => {
    if (opts.strictModel && model !== undefined && model !== opts.model) {
      throw new SimHttpError(404, `The model \`${model}\` does not exist.`, 'NotFoundError', 'model');
    }
  };

  /**
   * Draw the request's fault, open its log line, inject the early faults, then submit (after
   * SLOW_HEADERS_MS with slow-headers). `submit` is called only if the client is still there.
   */
  const dispatch = (
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    stream: boolean,
    submit: (fault: FaultKind | null, entry: RequestLogEntry | null) => void,
  ): void => {
    const fault = faults.pick();
    const id = req.headers['x-request-id'];
    const prompt = log ? promptKey(body as Record<string, unknown>) : null;
    const entry: RequestLogEntry | null = log ? { key: typeof id === 'string' ? id : prompt, prompt, fault, recv: epochNow(), writes: [] } : null;
    if (injectEarly(fault, entry, stream, res)) return;
    const admit = () => {
      if (!res.destroyed) submit(fault, entry);
      // Gone during the slow-headers wait: never admitted, but still a line of the request log.
      else if (entry) log!.write(entry);
    };
    if (fault === 'slow-headers') setTimeout(admit, SLOW_HEADERS_MS);
    else admit();
  };

  const generate = (api: SimApi, req: IncomingMessage, res: ServerResponse): void =>
    readJson(req, res, (body) => {
      const sreq = parseSimRequest(api, body);
      checkModel(sreq.model);
      const outputTokens = scheduler.outputLength(sreq.maxTokens, sreq.minTokens);
      dispatch(req, res, body, sreq.stream, (fault, entry) => {
        if (opts.closeAfterStream && sreq.stream) res.once('finish', () => res.socket?.end());
        const responder = new SimResponder(res, sreq, sreq.model ?? opts.model, scheduler, fault, log, entry, opts.timings);
        responder.seq = scheduler.submit(sreq.promptTokens, outputTokens, responder);
      });
    });

  /** Embeddings and rerank: prefill only, one step in the shared scheduler (pooling-responder.ts). */
  const pool = (api: PoolingApi, req: IncomingMessage, res: ServerResponse): void =>
    readJson(req, res, (body) => {
      const preq = api === 'embeddings' ? parseEmbeddingRequest(body) : parseRerankRequest(body);
      checkModel(preq.model);
      dispatch(req, res, body, false, (fault, entry) => {
        const responder = new PoolingResponder(res, preq, preq.model ?? opts.model, scheduler, fault, log, entry);
        responder.seq = scheduler.submit(preq.promptTokens, 1, responder);
      });
    });

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
        case '/v1/embeddings':
        case '/v1/rerank':
        case '/rerank': // vLLM serves rerank at all three paths
        case '/v2/rerank':
          if (method !== 'POST') return sendError(res, 405, 'Method Not Allowed', 'MethodNotAllowedError');
          return pool(path === '/v1/embeddings' ? 'embeddings' : 'rerank', req, res);
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
        server.close(() => void (log?.close() ?? Promise.resolve()).then(() => resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
