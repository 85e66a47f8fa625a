// Validates fault injections given as JSON (admin API) or by tests, before they are queued.
import type { Fault, FaultInjection } from './faults.js';
import { asRecord, EmulatorInputError, optionalString } from './validation.js';

const paths: ReadonlySet<string> = new Set(['token', 'discovery', 'managedIdentity', 'any']);
const maxDelayMs = 10 * 60 * 1000;

function parseRetryAfter(value: string | undefined): string | undefined {
  if (value === undefined || /^\d+$/.test(value) || !Number.isNaN(Date.parse(value))) return value;
  throw new EmulatorInputError("'retryAfter' must be a number of seconds or an HTTP date");
}

function parseFault(value: unknown, index: number): Fault {
  const fault = asRecord(value, `responses[${index}]`);
  const { status, kind } = fault;
  if (kind === 'json') {
    const { body } = fault;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)
      throw new EmulatorInputError("'status' must be an HTTP status from 200 to 599");
    return { kind, status: status, body: asRecord(body, `responses[${index}].body`) };
  }
  if (status === 429) {
    const retryAfter = parseRetryAfter(optionalString(fault, 'retryAfter'));
    const body = optionalString(fault, 'body');
    if (body !== undefined && body !== 'text' && body !== 'json')
      throw new EmulatorInputError("'body' must be 'text' or 'json'");
    return { status, ...(retryAfter === undefined ? {} : { retryAfter }), ...(body === undefined ? {} : { body }) };
  }
  if (status === 500 || status === 502 || status === 503 || status === 504) return { status };
  if (status === 404 || status === 410) return { status };
  if (kind === 'html' || kind === 'truncated' || kind === 'noAccessToken' || kind === 'reset') return { kind };
  if (kind === 'delay') {
    const { ms } = fault;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > maxDelayMs) {
      throw new EmulatorInputError(`'ms' must be an integer from 0 to ${maxDelayMs}`);
    }
    return { kind, ms };
  }
  if (kind === 'expiresIn') {
    const { seconds } = fault;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds))
      throw new EmulatorInputError("'seconds' must be a finite number");
    return { kind, seconds };
  }
  throw new EmulatorInputError(
    `responses[${index}] is not a known fault (status 404/410/429/500/502/503/504 or kind html/truncated/noAccessToken/reset/delay/expiresIn/json)`,
  );
}

export function parseFaultInjection(value: unknown): FaultInjection {
  const injection = asRecord(value, 'fault injection');
  const clientId = optionalString(injection, 'clientId');
  const path = optionalString(injection, 'path');
  if (path !== undefined && !paths.has(path))
    throw new EmulatorInputError("'path' must be 'token', 'discovery', 'managedIdentity' or 'any'");
  const { responses } = injection;
  if (!Array.isArray(responses) || responses.length === 0)
    throw new EmulatorInputError("'responses' must be a non-empty array");
  return {
    ...(clientId === undefined ? {} : { clientId }),
    ...(path === undefined ? {} : { path: path as NonNullable<FaultInjection['path']> }),
    responses: responses.map(parseFault),
  };
}
