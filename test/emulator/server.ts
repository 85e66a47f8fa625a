// Request handling for the HTTPS server: admin API, scripted faults, routing, request log.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAdmin } from './admin.js';
import { assertionFacts } from './certificateAssertion.js';
import { readClientCredentials } from './clientAuth.js';
import type { EmulatorContext } from './context.js';
import { errorReply } from './errors.js';
import { faultAction } from './faults.js';
import { BodyTooLargeError, jsonReply, readBody, sendReply, textReply, withHeaders, type Reply } from './http.js';
import type { RequestLogEntry } from './requestLog.js';
import { adminPrefix, matchRoute, protectedApiPath } from './routes.js';
import { parseStsRequest, type StsRequest } from './stsRequest.js';
import { githubTokenPath } from './federation/githubActions.js';

/** Sends a login-endpoint reply with its `x-ms-request-id`; returns the status for the log. */
function send(res: ServerResponse, sts: StsRequest, reply: Reply): number {
  sendReply(res, withHeaders(reply, { 'x-ms-request-id': sts.traceId }));
  return reply.status;
}

/** Waits `ms`; false if the emulator closed meanwhile. */
async function pause(ms: number, shutdown: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal: shutdown });
    return true;
  } catch {
    return false;
  }
}

/** Answers a login-endpoint request, a scripted fault first if one matches; returns the status (0 = dropped). */
async function respond(
  req: IncomingMessage,
  res: ServerResponse,
  sts: StsRequest,
  clientId: string | undefined,
  ctx: EmulatorContext,
): Promise<number> {
  const route = matchRoute(sts.url.pathname);
  if (!route) return send(res, sts, jsonReply(404, { error: 'not_found' }));
  const fault = route.faultTarget && ctx.faults.take(route.faultTarget, clientId);
  if (fault) {
    const action = faultAction(fault, (error) => errorReply(error, sts, sts.receivedAt));
    if (action.type === 'reply') return send(res, sts, action.reply);
    if (action.type === 'rewrite') return send(res, sts, action.rewrite(await route.handle(sts, ctx)));
    // A reset, or a delay nobody waited for (client gone, emulator closing): drop without processing.
    if (action.type === 'reset' || !(await pause(action.ms, ctx.shutdown)) || req.socket.destroyed) {
      req.socket.destroy();
      return 0;
    }
  }
  return send(res, sts, await route.handle(sts, ctx));
}

function logEntry(sts: StsRequest, clientId: string | undefined, status: number): RequestLogEntry {
  const grantType = sts.form.get('grant_type');
  const assertion = sts.form.get('client_assertion');
  const facts = assertion === null ? undefined : assertionFacts(assertion);
  return {
    time: sts.receivedAt.toISOString(),
    method: sts.method,
    path: sts.url.pathname,
    ...(grantType ? { grantType } : {}),
    ...(clientId === undefined ? {} : { clientId }),
    ...(facts === undefined ? {} : { assertion: facts }),
    status,
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  const url = new URL(req.url ?? '/', ctx.url);
  // The Date header follows the emulator's clock, so a skewed clock (POST /_emulator/clock) shows to clients as Entra's would.
  res.setHeader('Date', new Date(ctx.now()).toUTCString());
  const body = await readBody(req);
  if (url.pathname.startsWith(adminPrefix) && url.pathname !== protectedApiPath && url.pathname !== githubTokenPath) {
    sendReply(res, handleAdmin(req.method ?? 'GET', url, body, ctx));
    return;
  }
  const sts = parseStsRequest(req, url, body, ctx.url, new Date(ctx.now()));
  const { clientId } = readClientCredentials(sts.form, sts.authorization);
  const status = await respond(req, res, sts, clientId, ctx);
  ctx.log.add(logEntry(sts, clientId, status));
}

function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed) return;
  if (error instanceof BodyTooLargeError) {
    sendReply(res, textReply(413, error.message));
    return;
  }
  process.stderr.write(
    `[emulator] unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  sendReply(
    res,
    jsonReply(500, { error: 'emulator_failure', message: error instanceof Error ? error.message : String(error) }),
  );
}

export function createRequestHandler(ctx: EmulatorContext): RequestListener {
  return (req, res) => {
    handle(req, res, ctx).catch((error: unknown) => fail(res, error));
  };
}
