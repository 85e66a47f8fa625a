// The request that only asks what a call is for: its canonical login host and scopes, with no network call.

/**
 * `flow: "resolveTarget"` with the scopes, environment and authority host of a call (tenantId ''). The module keys its
 * session cache on the answer, so -Scope https://graph.microsoft.com, …/.default and no -Scope share one token.
 */
export interface ResolveTargetRequestFields {
  flow: 'resolveTarget'
}

export const TARGET_FLOWS = ['resolveTarget'] as const
