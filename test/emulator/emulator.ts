// startEmulator(): throwaway TLS and signing key, HTTPS server on 127.0.0.1, and the handle tests drive it with.
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import directoryData from '../fixtures/directory.json' with { type: 'json' };
import {
  injectFaults,
  mintRefreshToken,
  registerCertificate,
  resetEmulator,
  setClockOffset,
  type CertificateRegistration,
  type RefreshTokenRequest,
} from './admin.js';
import { createAuthorizationStore } from './authorizationCodes.js';
import { createCertificateStore } from './certificates.js';
import type { EmulatorContext } from './context.js';
import {
  approveDeviceCode,
  declineDeviceCode,
  listDeviceCodes,
  type DeviceCodeDecision,
  type DeviceCodeView,
} from './deviceCodeAdmin.js';
import { createDeviceCodeStore, type DeviceCodePlan } from './deviceCodes.js';
import { createDirectory } from './directory.js';
import { createFaultQueue, type FaultInjection } from './faults.js';
import { createRefreshTokenStore } from './refreshTokens.js';
import { createRequestLog, type RequestLogEntry } from './requestLog.js';
import { createRequestHandler } from './server.js';
import { createTlsMaterial, INSPECTING_CA_NAME } from './tls.js';
import { createSigningKey } from './tokens.js';
import { createExternalIssuers, type FederatedTokenRequest } from './federation/issuers.js';
import { startManagedIdentityEndpoints, type ManagedIdentityEndpoints } from './managedIdentity/server.js';

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** `expires_in` of issued access tokens; default 3599 (keep it > 300, MSAL's renewal offset). */
  readonly tokenLifetimeSeconds?: number;
  /** `interval` of device codes; default 5. Fractions and 0 are allowed here (and only here) so tests poll fast. */
  readonly deviceCodeIntervalSeconds?: number;
  /** `expires_in` of device codes; default 900 (Entra's 15 minutes). */
  readonly deviceCodeLifetimeSeconds?: number;
  /** How long authorization codes of the browser sign-in can be redeemed; default 600. */
  readonly authorizationCodeLifetimeSeconds?: number;
}

export interface Emulator {
  /** `https://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /**
   * `https://127.0.0.1:<port>` of a second listener with the same endpoints, whose certificate another CA signed
   * (INSPECTING_CA_NAME, trusted nowhere): what a TLS-inspecting proxy shows a client.
   */
  readonly inspectingUrl: string;
  /** PEM file of the throwaway CA, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  readonly caPem: string;
  /** The managed identity endpoints (IMDS, App Service, ML, Cloud Shell, Arc, Service Fabric) and how to reach them. */
  readonly managedIdentity: Omit<ManagedIdentityEndpoints, 'close'>;
  /** Requests to the login endpoints and the protected API so far (no secrets, no tokens). */
  readonly requests: readonly RequestLogEntry[];
  /** Queues faults, consumed one per matching request in order. Throws EmulatorInputError on bad input. */
  injectFaults(injection: FaultInjection): void;
  /** A refresh token the refresh_token grant accepts for this tenant and client. */
  mintRefreshToken(request: RefreshTokenRequest): string;
  /** Uploads a certificate to an app registration, or trusts a subject name and issuer for x5c chains. */
  registerCertificate(registration: CertificateRegistration): void;
  /** A token of an external identity provider (GitHub Actions, Kubernetes) for federated credentials. */
  mintFederatedToken(request: FederatedTokenRequest): string;
  /** The device codes waiting for a user (never the device codes themselves). */
  readonly deviceCodes: readonly DeviceCodeView[];
  /** The user signs in and approves / declines the code shown to them. Throws EmulatorInputError for an unknown or used code. */
  approveDeviceCode(decision: DeviceCodeDecision): void;
  declineDeviceCode(decision: DeviceCodeDecision): void;
  /** A scripted user for the next device code of a client: approve or decline after some polls, slow_down first. */
  planDeviceCode(plan: DeviceCodePlan): void;
  /** Sets the emulator's clock this many seconds off real time (0 to set it right). */
  setClockOffset(seconds: number): void;
  /** Clears queued faults and the request log, sets the clock right (registered certificates stay). */
  reset(): void;
  /** Stops the server, drops open connections and deletes the CA file. Safe to call twice. */
  close(): Promise<void>;
}

const defaultTokenLifetimeSeconds = 3599;
const defaultDeviceCodeIntervalSeconds = 5;
const defaultDeviceCodeLifetimeSeconds = 900;

function checkSeconds(name: string, value: number, max: number): number {
  if (!Number.isFinite(value) || value < 0 || value > max)
    throw new RangeError(`${name} must be a number of seconds from 0 to ${max}`);
  return value;
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const port = checkInteger('port', options.port ?? 0, 0, 65535);
  const tokenLifetimeSeconds = checkInteger(
    'tokenLifetimeSeconds',
    options.tokenLifetimeSeconds ?? defaultTokenLifetimeSeconds,
    1,
    86400,
  );
  const deviceCode = {
    intervalSeconds: checkSeconds(
      'deviceCodeIntervalSeconds',
      options.deviceCodeIntervalSeconds ?? defaultDeviceCodeIntervalSeconds,
      60,
    ),
    lifetimeSeconds: checkInteger(
      'deviceCodeLifetimeSeconds',
      options.deviceCodeLifetimeSeconds ?? defaultDeviceCodeLifetimeSeconds,
      1,
      3600,
    ),
  };
  const tls = await createTlsMaterial();
  const server = createServer({ key: tls.key, cert: tls.cert });
  const inspectingTls = await createTlsMaterial(new Date(), INSPECTING_CA_NAME);
  await rm(inspectingTls.dir, { recursive: true, force: true });
  const inspecting = createServer({ key: inspectingTls.key, cert: inspectingTls.cert });
  let inspectingUrl: string;
  let ctx: EmulatorContext;
  const shutdown = new AbortController();
  try {
    const signingKey = await createSigningKey();
    const url = `https://127.0.0.1:${await listen(server, port)}`;
    inspectingUrl = `https://127.0.0.1:${await listen(inspecting, 0)}`;
    const clock = { offsetMs: 0 };
    ctx = {
      url,
      directory: createDirectory(directoryData),
      certificates: createCertificateStore(),
      signingKey,
      issuers: createExternalIssuers(),
      refreshTokens: createRefreshTokenStore(),
      deviceCodes: createDeviceCodeStore(),
      deviceCode,
      authorizations: createAuthorizationStore(),
      authorizationCodeLifetimeSeconds: checkInteger(
        'authorizationCodeLifetimeSeconds',
        options.authorizationCodeLifetimeSeconds ?? 600,
        1,
        3600,
      ),
      faults: createFaultQueue(),
      log: createRequestLog(),
      tokenLifetimeSeconds,
      now: () => Date.now() + clock.offsetMs,
      clock,
      shutdown: shutdown.signal,
    };
  } catch (error) {
    await rm(tls.dir, { recursive: true, force: true });
    if (inspecting.listening) await stop(inspecting);
    throw error;
  }
  server.on('request', createRequestHandler(ctx));
  inspecting.on('request', createRequestHandler(ctx));
  const { close: closeManagedIdentity, ...managedIdentity } = await startManagedIdentityEndpoints(ctx, tls);

  let closing: Promise<void> | undefined;
  return {
    url: ctx.url,
    inspectingUrl,
    caFile: tls.caFile,
    caPem: tls.caPem,
    managedIdentity,
    get requests() {
      return ctx.log.entries();
    },
    injectFaults: (injection) => {
      injectFaults(ctx, injection);
    },
    mintRefreshToken: (request) => mintRefreshToken(ctx, request),
    get deviceCodes() {
      return listDeviceCodes(ctx);
    },
    approveDeviceCode: (decision) => {
      approveDeviceCode(ctx, decision);
    },
    declineDeviceCode: (decision) => {
      declineDeviceCode(ctx, decision);
    },
    planDeviceCode: (plan) => {
      ctx.deviceCodes.plan(plan);
    },
    mintFederatedToken: (request) => ctx.issuers.mint(request, ctx.now()),
    setClockOffset: (seconds) => {
      setClockOffset(ctx, seconds);
    },
    registerCertificate: (registration) => {
      registerCertificate(ctx, registration);
    },
    reset: () => resetEmulator(ctx),
    close: () => {
      closing ??= (async () => {
        shutdown.abort();
        await Promise.all([stop(server), stop(inspecting), closeManagedIdentity()]);
        await rm(tls.dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
