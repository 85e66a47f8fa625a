// Test helpers: fixture ids from directory.json, an undici client that trusts the emulator CA (nothing global), and one emulator per describe block.
import { Agent, request } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import directoryData from '../fixtures/directory.json' with { type: 'json' };
import { startEmulator, type Emulator, type EmulatorOptions } from './index.js';

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`fixture has no ${what}`);
  return value;
}

const contoso = required(directoryData.tenants[0], 'first tenant');
const fabrikam = required(directoryData.tenants[1], 'second tenant');
const automation = required(contoso.apps.find((app) => app.name === 'automation'), 'automation app');
const publicCli = required(contoso.apps.find((app) => app.name === 'public-cli'), 'public-cli app');
const certificateApp = required(contoso.apps.find((app) => app.name === 'certificate-app'), 'certificate-app app');
const azureCli = required(contoso.apps.find((app) => app.name === 'azure-cli'), 'azure-cli app');
const secret = (pick: (value: { value: string; expired: boolean }) => boolean) => required(automation.secrets.find(pick), 'secret');

/** Ids and secrets of the fake directory, looked up by role rather than hard-coded. */
export const fixture = {
  tenantId: contoso.id,
  domain: required(contoso.domains[0], 'domain'),
  otherTenantId: fabrikam.id,
  unknownTenantId: directoryData.unknownTenantId,
  clientId: automation.clientId,
  secret: secret((s) => !s.expired && /^[\w.~-]+$/.test(s.value)).value,
  trickySecret: secret((s) => !s.expired && /[+&= %ü]/.test(s.value)).value,
  expiredSecret: secret((s) => s.expired).value,
  secretId: required(automation.secrets[0], 'secret').id,
  publicClientId: publicCli.clientId,
  /** The Azure CLI's public client id, the default client of -DeviceCode. */
  azureCliClientId: azureCli.clientId,
  /** An app without secrets; tests upload their throwaway certificates to it. */
  certificateClientId: certificateApp.clientId,
  graphScope: 'https://graph.microsoft.com/.default',
  graphRoles: automation.appRoles['https://graph.microsoft.com'],
} as const;

export type Json = Record<string, unknown>;

export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  json(): Json;
}

export interface TestClient {
  get(path: string, headers?: Record<string, string>): Promise<TestResponse>;
  postForm(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<TestResponse>;
  postJson(path: string, value: unknown): Promise<TestResponse>;
  close(): Promise<void>;
}

/** Short timeouts so a misbehaving server fails the test instead of hanging it. */
export function createTestClient(emulator: Pick<Emulator, 'url' | 'caPem'>): TestClient {
  const dispatcher = new Agent({ connect: { ca: emulator.caPem }, keepAliveTimeout: 10, headersTimeout: 4000, bodyTimeout: 4000 });
  const send = async (method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<TestResponse> => {
    const response = await request(`${emulator.url}${path}`, { method, headers, dispatcher, ...(body === undefined ? {} : { body }) });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text, json: () => JSON.parse(text) as Json };
  };
  return {
    get: (path, headers = {}) => send('GET', path, headers),
    postForm: (path, fields, headers = {}) =>
      send('POST', path, { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', ...headers }, new URLSearchParams(fields).toString()),
    postJson: (path, value) => send('POST', path, { 'content-type': 'application/json' }, JSON.stringify(value)),
    close: () => dispatcher.close(),
  };
}

export const tokenPath = (tenant: string = fixture.tenantId): string => `/${tenant}/oauth2/v2.0/token`;

/** A client-credentials form for the automation app; override or drop (`undefined`) fields per test. */
export function clientCredentialsForm(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    grant_type: 'client_credentials',
    client_id: fixture.clientId,
    client_secret: fixture.secret,
    scope: fixture.graphScope,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Asserts the error body shape of docs/entra-protocol.md §5.1 "Shape" and returns it. */
export function expectStsError(response: TestResponse, status: number, error: string, code: number): Json {
  const body = response.json();
  const failure = `${response.status} ${response.text}`;
  if (response.status !== status || body['error'] !== error) throw new Error(`expected ${status} ${error}, got ${failure}`);
  const description = String(body['error_description']);
  const traceId = String(body['trace_id']);
  const expectedTail = ` Trace ID: ${traceId} Correlation ID: ${String(body['correlation_id'])} Timestamp: ${String(body['timestamp'])}`;
  const codes = body['error_codes'];
  if (!description.startsWith(`AADSTS${code}: `) || !description.endsWith(expectedTail)
    || !Array.isArray(codes) || codes.length !== 1 || codes[0] !== code
    || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/.test(String(body['timestamp']))
    || response.headers['x-ms-request-id'] !== traceId
    || body['error_uri'] !== `https://login.microsoftonline.com/error?code=${code}`) {
    throw new Error(`malformed AADSTS${code} body: ${failure}`);
  }
  return body;
}

export interface RunningEmulator {
  readonly emulator: Emulator;
  readonly client: TestClient;
}

/**
 * Starts an emulator and a client that trusts it before the tests of the enclosing describe block, hands both to
 * `assign`, and closes both afterwards.
 */
export function useEmulator(assign: (running: RunningEmulator) => void, options: EmulatorOptions = {}): void {
  let running: RunningEmulator | undefined;
  beforeAll(async () => {
    const emulator = await startEmulator(options);
    running = { emulator, client: createTestClient(emulator) };
    assign(running);
  });
  afterAll(async () => {
    await running?.client.close();
    await running?.emulator.close();
  });
}
