// Test-control API under /_emulator/ (faults, request log, reset, refresh tokens, certificates, federated tokens, device codes); the Emulator object calls the same functions.
import { parseCertificate } from './certificates.js';
import type { EmulatorContext } from './context.js';
import {
  approveDeviceCode,
  declineDeviceCode,
  listDeviceCodes,
  parseDeviceCodeDecision,
  parseDeviceCodePlan,
  parseSlowDown,
} from './deviceCodeAdmin.js';
import { parseFaultInjection } from './faultInput.js';
import type { FederatedTokenRequest } from './federation/issuers.js';
import { emptyReply, jsonReply, type Reply } from './http.js';
import { stableGuid } from './ids.js';
import {
  asRecord,
  EmulatorInputError,
  optionalString,
  parseJson,
  requireString,
  requireStringArray,
} from './validation.js';

export interface RefreshTokenRequest {
  /** Tenant GUID or verified domain. */
  readonly tenantId: string;
  readonly clientId: string;
  /** Scopes the user consented to, e.g. `["https://graph.microsoft.com/User.Read", "offline_access"]`. */
  readonly scopes: readonly string[];
}

/**
 * A certificate to upload to an app registration (`certificate`: PEM or base64 DER, found by thumbprint), or a
 * subject name and issuer to trust (`subjectName` as `CN=…`, `issuer`: the CA certificate) for x5c chains.
 */
export interface CertificateRegistration {
  readonly tenantId: string;
  readonly clientId: string;
  readonly certificate?: string;
  readonly subjectName?: string;
  readonly issuer?: string;
}

/** Registers a certificate or a subject name trust on an app; returns the certificate's SHA-1 thumbprint (hex) if one was given. */
export function registerCertificate(
  ctx: EmulatorContext,
  registration: CertificateRegistration,
): { thumbprint?: string } {
  const tenant = ctx.directory.findTenant(registration.tenantId);
  if (!tenant) throw new EmulatorInputError(`Unknown tenant '${registration.tenantId}'`);
  const app = ctx.directory.findApp(tenant, registration.clientId);
  if (!app) throw new EmulatorInputError(`Unknown client '${registration.clientId}' in tenant '${tenant.id}'`);
  if (registration.certificate !== undefined) {
    const registered = ctx.certificates.register(
      tenant.id,
      app.clientId,
      parseCertificate(registration.certificate, 'certificate'),
    );
    return { thumbprint: registered.sha1.toString('hex').toUpperCase() };
  }
  if (registration.subjectName === undefined || registration.issuer === undefined) {
    throw new EmulatorInputError("Give 'certificate', or 'subjectName' with 'issuer'");
  }
  ctx.certificates.trustSubjectName(tenant.id, app.clientId, {
    subject: registration.subjectName,
    issuer: parseCertificate(registration.issuer, 'issuer'),
  });
  return {};
}

function parseCertificateRegistration(value: unknown): CertificateRegistration {
  const record = asRecord(value, 'certificate registration');
  const certificate = optionalString(record, 'certificate');
  const subjectName = optionalString(record, 'subjectName');
  const issuer = optionalString(record, 'issuer');
  return {
    tenantId: requireString(record, 'tenantId'),
    clientId: requireString(record, 'clientId'),
    ...(certificate === undefined ? {} : { certificate }),
    ...(subjectName === undefined ? {} : { subjectName }),
    ...(issuer === undefined ? {} : { issuer }),
  };
}

/** Validates and queues faults; returns how many were queued. */
export function injectFaults(ctx: EmulatorContext, value: unknown): number {
  const injection = parseFaultInjection(value);
  ctx.faults.push(injection);
  return injection.responses.length;
}

/** A refresh token for a fake user of the tenant (one user per tenant). */
export function mintRefreshToken(ctx: EmulatorContext, request: RefreshTokenRequest): string {
  const tenant = ctx.directory.findTenant(request.tenantId);
  if (!tenant) throw new EmulatorInputError(`Unknown tenant '${request.tenantId}'`);
  const app = ctx.directory.findApp(tenant, request.clientId);
  if (!app) throw new EmulatorInputError(`Unknown client '${request.clientId}' in tenant '${tenant.id}'`);
  return ctx.refreshTokens.issue({
    tenantId: tenant.id,
    clientId: app.clientId,
    userId: stableGuid(`user:${tenant.id}`),
    scopes: [...request.scopes],
  });
}

/** Clears queued faults, device code plans and the request log and sets the clock right; registered certificates stay, like app registrations. */
export function resetEmulator(ctx: EmulatorContext): void {
  ctx.faults.clear();
  ctx.deviceCodes.clearPlans();
  ctx.log.clear();
  ctx.clock.offsetMs = 0;
}

const maxClockOffsetSeconds = 366 * 24 * 60 * 60;

/** Puts the emulator's clock `seconds` off real time, as if the client's clock were wrong by the opposite. */
export function setClockOffset(ctx: EmulatorContext, seconds: unknown): void {
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || Math.abs(seconds) > maxClockOffsetSeconds) {
    throw new EmulatorInputError(`'offsetSeconds' must be a whole number of seconds within ±${maxClockOffsetSeconds}`);
  }
  ctx.clock.offsetMs = seconds * 1000;
}

function parseRefreshTokenRequest(value: unknown): RefreshTokenRequest {
  const record = asRecord(value, 'refresh token request');
  return {
    tenantId: requireString(record, 'tenantId'),
    clientId: requireString(record, 'clientId'),
    scopes: requireStringArray(record, 'scopes'),
  };
}

function parseFederatedTokenRequest(value: unknown): FederatedTokenRequest {
  const record = asRecord(value, 'federated token request');
  const issuer = optionalString(record, 'issuer');
  const audience = optionalString(record, 'audience');
  const lifetime = record['lifetimeSeconds'];
  if (
    lifetime !== undefined &&
    (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime < -86400 || lifetime > 86400)
  ) {
    throw new EmulatorInputError("'lifetimeSeconds' must be a whole number of seconds within ±86400");
  }
  return {
    subject: requireString(record, 'subject'),
    ...(issuer === undefined ? {} : { issuer }),
    ...(audience === undefined ? {} : { audience }),
    ...(lifetime === undefined ? {} : { lifetimeSeconds: lifetime as number }),
  };
}

export function handleAdmin(method: string, url: URL, body: string, ctx: EmulatorContext): Reply {
  try {
    switch (`${method} ${url.pathname}`) {
      case 'POST /_emulator/faults':
        return jsonReply(200, { queued: injectFaults(ctx, parseJson(body)) });
      case 'GET /_emulator/requests':
        return jsonReply(200, ctx.log.entries(url.searchParams.get('clientId') ?? undefined));
      case 'POST /_emulator/reset':
        resetEmulator(ctx);
        return emptyReply(204);
      case 'POST /_emulator/clock':
        setClockOffset(ctx, asRecord(parseJson(body), 'clock')['offsetSeconds']);
        return emptyReply(204);
      case 'POST /_emulator/certificates':
        return jsonReply(200, registerCertificate(ctx, parseCertificateRegistration(parseJson(body))));
      case 'POST /_emulator/federated-tokens':
        return jsonReply(200, { token: ctx.issuers.mint(parseFederatedTokenRequest(parseJson(body)), ctx.now()) });
      case 'GET /_emulator/device-codes':
        return jsonReply(200, listDeviceCodes(ctx, url.searchParams.get('clientId') ?? undefined));
      case 'POST /_emulator/device-codes/approve':
        approveDeviceCode(ctx, parseDeviceCodeDecision(parseJson(body)));
        return emptyReply(204);
      case 'POST /_emulator/device-codes/decline':
        declineDeviceCode(ctx, parseDeviceCodeDecision(parseJson(body)));
        return emptyReply(204);
      case 'POST /_emulator/device-codes/plan':
        ctx.deviceCodes.plan(parseDeviceCodePlan(parseJson(body)));
        return emptyReply(204);
      case 'POST /_emulator/device-codes/slow-down': {
        const { userCode, count } = parseSlowDown(parseJson(body));
        ctx.deviceCodes.addSlowDowns(userCode, count);
        return emptyReply(204);
      }
      case 'POST /_emulator/refresh-tokens':
        return jsonReply(200, { refresh_token: mintRefreshToken(ctx, parseRefreshTokenRequest(parseJson(body))) });
      default:
        return jsonReply(404, { error: 'not_found', message: `No admin operation ${method} ${url.pathname}` });
    }
  } catch (error) {
    if (error instanceof EmulatorInputError) return jsonReply(400, { error: 'bad_request', message: error.message });
    throw error;
  }
}
