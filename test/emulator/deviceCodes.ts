// Device codes the emulator issued and their state machine: pending → approved/declined → redeemed; expired by time (doc §4).
import { randomInt } from 'node:crypto';
import { opaqueToken } from './ids.js';
import { EmulatorInputError } from './validation.js';

export type DeviceCodeState = 'pending' | 'approved' | 'declined' | 'redeemed';

/** What a scripted user does with the next device code of a client (tests set it with POST /_emulator/device-codes/plan). */
export interface DeviceCodePlan {
  readonly clientId: string;
  /** Approve or decline once `afterPolls` polls have arrived; 'none' leaves the code pending. */
  readonly action: 'approve' | 'decline' | 'none';
  readonly afterPolls: number;
  /** The first this many polls are answered with `slow_down`. */
  readonly slowDownPolls: number;
  /** Overrides the emulator's `expires_in` and `interval` for that code. */
  readonly expiresIn?: number;
  readonly interval?: number;
  /** Home tenant of the user who approves (for /organizations and /common); default the first tenant with the app. */
  readonly tenantId?: string;
}

export interface DeviceCodeEntry {
  readonly deviceCode: string;
  readonly userCode: string;
  /** The `{tenant}` segment of the devicecode request; polls must use the same one (doc §2.5). */
  readonly tenantSegment: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly intervalSeconds: number;
  state: DeviceCodeState;
  /** The tenant of the user who approved. */
  approvedTenantId: string | undefined;
  polls: number;
  slowDownsLeft: number;
  readonly plan: DeviceCodePlan | undefined;
}

export interface NewDeviceCode {
  readonly tenantSegment: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly now: number;
  readonly lifetimeSeconds: number;
  readonly intervalSeconds: number;
}

export interface DeviceCodeStore {
  issue(request: NewDeviceCode): DeviceCodeEntry;
  findByDeviceCode(deviceCode: string): DeviceCodeEntry | undefined;
  findByUserCode(userCode: string): DeviceCodeEntry | undefined;
  /** Codes still waiting for the user, newest last. */
  pending(now: number): DeviceCodeEntry[];
  /** Queues a plan for the next code of its client. */
  plan(plan: DeviceCodePlan): void;
  /** Makes the next `count` polls of a code answer `slow_down`. */
  addSlowDowns(userCode: string, count: number): void;
  clearPlans(): void;
}

/** Letters and digits that cannot be mistaken for each other, as real user codes use. */
const userCodeAlphabet = 'BCDFGHJKLMNPQRSTVWXZ23456789';

function newUserCode(): string {
  let code = '';
  for (let i = 0; i < 9; i++) code += userCodeAlphabet[randomInt(userCodeAlphabet.length)];
  return code;
}

export function createDeviceCodeStore(): DeviceCodeStore {
  const byDeviceCode = new Map<string, DeviceCodeEntry>();
  const byUserCode = new Map<string, DeviceCodeEntry>();
  const plans: DeviceCodePlan[] = [];
  const requirePending = (userCode: string): DeviceCodeEntry => {
    const entry = byUserCode.get(userCode.toUpperCase());
    if (!entry) throw new EmulatorInputError(`Unknown user code '${userCode}'`);
    return entry;
  };
  return {
    issue(request) {
      const index = plans.findIndex((plan) => plan.clientId.toLowerCase() === request.clientId.toLowerCase());
      const plan = index < 0 ? undefined : plans.splice(index, 1)[0];
      let userCode = newUserCode();
      while (byUserCode.has(userCode)) userCode = newUserCode();
      const lifetime = plan?.expiresIn ?? request.lifetimeSeconds;
      const entry: DeviceCodeEntry = {
        deviceCode: opaqueToken('DAQAB'),
        userCode,
        tenantSegment: request.tenantSegment,
        clientId: request.clientId,
        scopes: [...request.scopes],
        issuedAt: request.now,
        expiresAt: request.now + lifetime * 1000,
        intervalSeconds: plan?.interval ?? request.intervalSeconds,
        state: 'pending',
        approvedTenantId: undefined,
        polls: 0,
        slowDownsLeft: plan?.slowDownPolls ?? 0,
        plan,
      };
      byDeviceCode.set(entry.deviceCode, entry);
      byUserCode.set(entry.userCode, entry);
      return entry;
    },
    findByDeviceCode: (deviceCode) => byDeviceCode.get(deviceCode),
    findByUserCode: (userCode) => byUserCode.get(userCode.toUpperCase()),
    pending: (now) => [...byDeviceCode.values()].filter((entry) => entry.state === 'pending' && entry.expiresAt > now),
    plan(plan) {
      plans.push(plan);
    },
    addSlowDowns(userCode, count) {
      requirePending(userCode).slowDownsLeft += count;
    },
    clearPlans() {
      plans.length = 0;
    },
  };
}
