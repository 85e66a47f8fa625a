// Public surface of the test-side Entra ID emulator.
export { startEmulator } from './emulator.js';
export type { Emulator, EmulatorOptions } from './emulator.js';
export type { CertificateRegistration, RefreshTokenRequest } from './admin.js';
export type { Fault, FaultInjection, FaultTarget } from './faults.js';
export type { RequestLogEntry } from './requestLog.js';
export { EmulatorInputError } from './validation.js';
