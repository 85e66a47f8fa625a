// Scripted failures of the login endpoints: queued per client and endpoint, one consumed per matching request (doc §5.2, §5.3).
import { aadsts, type StsError } from './errors.js';
import { jsonReply, textReply, withHeaders, type Reply } from './http.js';

export type Fault =
  /** Throttled; body `text` (default: plain `Too Many Requests`) or `json` (error body). */
  | { readonly status: 429; readonly retryAfter?: string; readonly body?: 'text' | 'json' }
  /** 500/503: JSON error body (`server_error`, `temporarily_unavailable`); 502/504: a gateway's plain text. */
  | { readonly status: 500 | 502 | 503 | 504 }
  /** What IMDS answers while it updates (docs/entra-protocol.md §7.2 "Azure VM / VMSS"): an empty 404 or 410. */
  | { readonly status: 404 | 410 }
  /** 200 HTML login page, 200 cut-off JSON, 200 JSON without access_token, or a dropped connection. */
  | { readonly kind: 'html' | 'truncated' | 'noAccessToken' | 'reset' }
  /** Wait, then answer normally (unless the client has gone). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Answer normally, but with this `expires_in` (and `ext_expires_in`): 0, negative or huge, as a broken server may. */
  | { readonly kind: 'expiresIn'; readonly seconds: number }
  /** A JSON body of the test's choosing with this status: a hostile server (escapes in a device code message, an error_description). */
  | { readonly kind: 'json'; readonly status: number; readonly body: Readonly<Record<string, unknown>> };

export type FaultTarget = 'token' | 'discovery' | 'managedIdentity';

export interface FaultInjection {
  /** Only requests from this client (client_id in the body or Basic header). */
  readonly clientId?: string;
  /** Endpoint the faults apply to; default `token`. `discovery` covers openid-configuration and keys; `managedIdentity` the MI token endpoints. */
  readonly path?: FaultTarget | 'any';
  readonly responses: readonly Fault[];
}

export interface FaultQueue {
  push(injection: FaultInjection): void;
  /** Removes and returns the oldest fault matching the request (and `accept`, when given), if any. */
  take(target: FaultTarget, clientId: string | undefined, accept?: (fault: Fault) => boolean): Fault | undefined;
  clear(): void;
}

interface QueuedFault {
  readonly clientId: string | undefined;
  readonly path: FaultTarget | 'any';
  readonly fault: Fault;
}

export function createFaultQueue(): FaultQueue {
  const queue: QueuedFault[] = [];
  const matches = (entry: QueuedFault, target: FaultTarget, clientId: string | undefined): boolean =>
    (entry.path === 'any' || entry.path === target)
    && (entry.clientId === undefined || entry.clientId.toLowerCase() === clientId?.toLowerCase());
  return {
    push(injection) {
      for (const fault of injection.responses) {
        queue.push({ clientId: injection.clientId, path: injection.path ?? 'token', fault });
      }
    },
    take(target, clientId, accept) {
      const index = queue.findIndex((entry) => matches(entry, target, clientId) && (accept === undefined || accept(entry.fault)));
      return index < 0 ? undefined : queue.splice(index, 1)[0]?.fault;
    },
    clear() {
      queue.length = 0;
    },
  };
}

export type FaultAction =
  | { readonly type: 'reply'; readonly reply: Reply }
  | { readonly type: 'reset' }
  | { readonly type: 'delay'; readonly ms: number }
  | { readonly type: 'rewrite'; readonly rewrite: (reply: Reply) => Reply };

/** A 200 JSON token answer with another lifetime; any other answer as it is. */
function withExpiresIn(reply: Reply, seconds: number): Reply {
  if (reply.status !== 200) return reply;
  const body = JSON.parse(reply.body) as Record<string, unknown>;
  return { ...reply, body: JSON.stringify({ ...body, expires_in: seconds, ext_expires_in: seconds }) };
}

const loginPage = `<!DOCTYPE html>
<html><head><title>Sign in to your account</title></head>
<body><form method="post" action="/common/login"><input type="email" name="loginfmt"><input type="submit" value="Next"></form></body></html>
`;

const truncatedTokenResponse = '{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIs';

const reply = (value: Reply): FaultAction => ({ type: 'reply', reply: value });

type ThrottleFault = Extract<Fault, { status: 429 }>;

function throttledReply(fault: ThrottleFault, stsErrorReply: (error: StsError) => Reply): Reply {
  const throttled = fault.body === 'json' ? stsErrorReply(aadsts.throttled()) : textReply(429, 'Too Many Requests');
  return fault.retryAfter === undefined ? throttled : withHeaders(throttled, { 'Retry-After': fault.retryAfter });
}

/** What the server does for a fault; STS-shaped error bodies come from `stsErrorReply`. */
export function faultAction(fault: Fault, stsErrorReply: (error: StsError) => Reply): FaultAction {
  if ('kind' in fault) {
    switch (fault.kind) {
      case 'html': return reply(textReply(200, loginPage, 'text/html; charset=utf-8'));
      case 'truncated': return reply(textReply(200, truncatedTokenResponse, 'application/json; charset=utf-8'));
      case 'noAccessToken': return reply(jsonReply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 }));
      case 'reset': return { type: 'reset' };
      case 'delay': return { type: 'delay', ms: fault.ms };
      case 'expiresIn': return { type: 'rewrite', rewrite: (normal) => withExpiresIn(normal, fault.seconds) };
      case 'json': return reply(jsonReply(fault.status, fault.body));
    }
  }
  switch (fault.status) {
    case 429: return reply(throttledReply(fault, stsErrorReply));
    case 500: return reply(stsErrorReply(aadsts.serverError()));
    case 503: return reply(stsErrorReply(aadsts.temporarilyUnavailable()));
    case 502: return reply(textReply(502, 'Bad Gateway'));
    case 504: return reply(textReply(504, 'Gateway Timeout'));
    case 404: return reply(textReply(404, ''));
    case 410: return reply(textReply(410, ''));
  }
}
