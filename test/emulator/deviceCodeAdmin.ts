// Admin operations of the device code flow: the user approves or declines a code, scripted users, injected slow_down.
import type { EmulatorContext } from './context.js';
import type { DeviceCodePlan } from './deviceCodes.js';
import { asRecord, EmulatorInputError, optionalString, requireString } from './validation.js';

/** What a test sees of a code: never the device code itself. */
export interface DeviceCodeView {
  readonly userCode: string;
  readonly clientId: string;
  readonly tenant: string;
  readonly scopes: readonly string[];
  readonly state: string;
  readonly polls: number;
  readonly expiresAt: string;
  readonly interval: number;
}

export interface DeviceCodeDecision {
  readonly userCode: string;
  /** Home tenant of the user who approves, for codes requested on /organizations or /common. */
  readonly tenantId?: string;
}

function pendingEntry(ctx: EmulatorContext, userCode: string) {
  const entry = ctx.deviceCodes.findByUserCode(userCode);
  if (!entry) throw new EmulatorInputError(`Unknown user code '${userCode}'`);
  if (entry.state !== 'pending') throw new EmulatorInputError(`User code '${userCode}' is ${entry.state}, not pending`);
  if (ctx.now() >= entry.expiresAt) throw new EmulatorInputError(`User code '${userCode}' has expired`);
  return entry;
}

/** The user signs in and approves: the next poll gets the token. */
export function approveDeviceCode(ctx: EmulatorContext, decision: DeviceCodeDecision): void {
  const entry = pendingEntry(ctx, decision.userCode);
  if (decision.tenantId !== undefined) {
    const tenant = ctx.directory.findTenant(decision.tenantId);
    if (!tenant || !ctx.directory.findApp(tenant, entry.clientId)) {
      throw new EmulatorInputError(`Tenant '${decision.tenantId}' is unknown or has no app '${entry.clientId}'`);
    }
    entry.approvedTenantId = tenant.id;
  }
  entry.state = 'approved';
}

/** The user refuses: the next poll gets authorization_declined. */
export function declineDeviceCode(ctx: EmulatorContext, decision: DeviceCodeDecision): void {
  pendingEntry(ctx, decision.userCode).state = 'declined';
}

export function listDeviceCodes(ctx: EmulatorContext, clientId?: string): DeviceCodeView[] {
  return ctx.deviceCodes
    .pending(ctx.now())
    .filter((entry) => clientId === undefined || entry.clientId.toLowerCase() === clientId.toLowerCase())
    .map((entry) => ({
      userCode: entry.userCode,
      clientId: entry.clientId,
      tenant: entry.tenantSegment,
      scopes: entry.scopes,
      state: entry.state,
      polls: entry.polls,
      expiresAt: new Date(entry.expiresAt).toISOString(),
      interval: entry.intervalSeconds,
    }));
}

function wholeNumber(record: Readonly<Record<string, unknown>>, key: string, max: number): number | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new EmulatorInputError(`'${key}' must be a whole number from 0 to ${max}`);
  }
  return value;
}

/** Seconds; fractions and 0 are allowed so tests poll fast. */
function seconds(record: Readonly<Record<string, unknown>>, key: string, max: number): number | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new EmulatorInputError(`'${key}' must be a number of seconds from 0 to ${max}`);
  }
  return value;
}

export function parseDeviceCodePlan(value: unknown): DeviceCodePlan {
  const record = asRecord(value, 'device code plan');
  const action = optionalString(record, 'action') ?? 'approve';
  if (action !== 'approve' && action !== 'decline' && action !== 'none')
    throw new EmulatorInputError("'action' must be 'approve', 'decline' or 'none'");
  const expiresIn = seconds(record, 'expiresIn', 3600);
  const interval = seconds(record, 'interval', 60);
  const tenantId = optionalString(record, 'tenantId');
  return {
    clientId: requireString(record, 'clientId'),
    action,
    afterPolls: wholeNumber(record, 'afterPolls', 1000) ?? 0,
    slowDownPolls: wholeNumber(record, 'slowDownPolls', 1000) ?? 0,
    ...(expiresIn === undefined ? {} : { expiresIn }),
    ...(interval === undefined ? {} : { interval }),
    ...(tenantId === undefined ? {} : { tenantId }),
  };
}

export function parseDeviceCodeDecision(value: unknown): DeviceCodeDecision {
  const record = asRecord(value, 'device code decision');
  const tenantId = optionalString(record, 'tenantId');
  return { userCode: requireString(record, 'userCode'), ...(tenantId === undefined ? {} : { tenantId }) };
}

export function parseSlowDown(value: unknown): { userCode: string; count: number } {
  const record = asRecord(value, 'slow down');
  return { userCode: requireString(record, 'userCode'), count: wholeNumber(record, 'count', 1000) ?? 1 };
}
