// Request fields of the device code flow: a delegated sign-in whose instructions the core writes to stderr.

export const DEVICE_CODE_FLOWS = ['deviceCode'] as const

/**
 * `tenantId` may be `organizations`, `common` or `consumers`; `clientId` is a public client (the module
 * defaults both); `timeoutSec` bounds the whole sign-in, the user's time included.
 */
export interface DeviceCodeRequestFields {
  flow: 'deviceCode'
}
