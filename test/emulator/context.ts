// State shared by every handler of one running emulator.
import type { AuthorizationStore } from './authorizationCodes.js';
import type { CertificateStore } from './certificates.js';
import type { DeviceCodeStore } from './deviceCodes.js';
import type { Directory } from './directory.js';
import type { FaultQueue } from './faults.js';
import type { ExternalIssuers } from './federation/issuers.js';
import type { RefreshTokenStore } from './refreshTokens.js';
import type { RequestLog } from './requestLog.js';
import type { SigningKey } from './tokens.js';

export interface EmulatorContext {
  /** `https://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly directory: Directory;
  /** Certificates uploaded to app registrations at run time (tests make their own). */
  readonly certificates: CertificateStore;
  readonly signingKey: SigningKey;
  /** The external identity providers whose tokens federated credentials accept. */
  readonly issuers: ExternalIssuers;
  readonly refreshTokens: RefreshTokenStore;
  readonly deviceCodes: DeviceCodeStore;
  /** `expires_in` and `interval` of new device codes (a plan can override both for one code). */
  readonly deviceCode: { readonly lifetimeSeconds: number; readonly intervalSeconds: number };
  /** Browser sign-ins: pending pages and their single-use codes. */
  readonly authorizations: AuthorizationStore;
  /** How long an authorization code can be redeemed; default 600 (Entra's ~10 minutes). */
  readonly authorizationCodeLifetimeSeconds: number;
  readonly faults: FaultQueue;
  readonly log: RequestLog;
  readonly tokenLifetimeSeconds: number;
  /** Milliseconds since the epoch, as the emulator's clock says (real time plus `clock.offsetMs`). */
  readonly now: () => number;
  /** How far the emulator's clock is off, to stand for a client machine whose clock is wrong (AADSTS700024). */
  readonly clock: { offsetMs: number };
  /** Aborted when the emulator closes, so pending delays end. */
  readonly shutdown: AbortSignal;
}
