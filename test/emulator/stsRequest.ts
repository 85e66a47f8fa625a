// One request to a login endpoint, parsed once: form body, client-request-id, trace id, the base URL the client used.
import type { IncomingMessage } from 'node:http';
import type { RequestIds } from './errors.js';
import { newGuid } from './ids.js';

export interface StsRequest extends RequestIds {
  readonly method: string;
  readonly url: URL;
  /** The `application/x-www-form-urlencoded` body; empty for other content types. */
  readonly form: URLSearchParams;
  readonly authorization: string | undefined;
  /** `https://127.0.0.1:<port>`, or `https://localhost:<port>` when the client addressed it so. */
  readonly baseUrl: string;
  readonly receivedAt: Date;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function baseUrlFor(host: string | undefined, emulatorUrl: string): string {
  const viaLocalhost = emulatorUrl.replace('//127.0.0.1:', '//localhost:');
  return host !== undefined && host.toLowerCase() === new URL(viaLocalhost).host ? viaLocalhost : emulatorUrl;
}

export function parseStsRequest(
  req: IncomingMessage,
  url: URL,
  body: string,
  emulatorUrl: string,
  receivedAt: Date,
): StsRequest {
  const isForm = (header(req, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  const form = new URLSearchParams(isForm ? body : '');
  // doc §0.10: MSAL sends client-request-id as a query parameter, MSAL.NET as a header; echo it as correlation_id.
  const correlationId =
    header(req, 'client-request-id') ??
    url.searchParams.get('client-request-id') ??
    form.get('client-request-id') ??
    newGuid();
  return {
    method: req.method ?? 'GET',
    url,
    form,
    authorization: header(req, 'authorization'),
    baseUrl: baseUrlFor(header(req, 'host'), emulatorUrl),
    receivedAt,
    traceId: newGuid(),
    correlationId,
  };
}
