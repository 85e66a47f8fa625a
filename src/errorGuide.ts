// What each error code means to the admin who meets it and what to do: the source of the docs' error table.
// Not used at run time (each error's own message and hint say it for the case at hand); build/docs.mjs renders it.

import type { EntraAuthErrorCode } from './errors.js'

/** Codes that only the module raises (the core never sends them): no core message, so the guide has the meaning. */
export type ModuleErrorCode = 'ERR_CORE_UNAVAILABLE' | 'ERR_KEY_NOT_EXPORTABLE'

export interface ErrorGuideEntry {
  /** Only for module codes; a core code's meaning is its default message in errors.ts. */
  readonly meaning?: string
  /** The situations that end in this code, and whether EntraAuth tried again. */
  readonly when: string
  /** What the admin does about it. */
  readonly fix: string
}

/** One entry per code, core and module alike; test/docs/generated.test.ts holds it to both sides' code lists. */
export const ERROR_GUIDE: Readonly<Record<EntraAuthErrorCode | ModuleErrorCode, ErrorGuideEntry>> = {
  ERR_INVALID_REQUEST: {
    when:
      'Bad input, found before any request: tenant not a GUID or domain, client id not a GUID, no secret or refresh token, a delegated scope or two resources for an app-only token, a plain-http authority; for certificates: file not found, wrong PFX or PEM password, no private key, key and certificate that do not match, thumbprint in no store (the message lists the stores searched), not RSA or under 2048 bits, expired (30 days before expiry: a warning). Nothing was sent.',
    fix: 'Correct the parameter the message names; the Fix: part of the message says how.',
  },
  ERR_PROTOCOL: {
    when: 'The module and the core do not understand each other: a module and core of different versions, or a line the core could not read.',
    fix: 'Reinstall the module so that its scripts and core come from one package; if it stays, run with -Debug and report it.',
  },
  ERR_AUTH_FAILED: {
    when: 'Entra refused: any 4xx with an OAuth error body (wrong secret, unknown app, no consent, Conditional Access, ...). Never retried.',
    fix: "Look up the AADSTS code of the message in the AADSTS table below; the message's Fix: part says it for this call.",
  },
  ERR_CREDENTIAL_UNAVAILABLE: {
    when:
      'The credential cannot be used on this machine: no managed identity endpoint (the message lists every source checked), no federated token to exchange, or -Interactive where no browser can open (the message says why).',
    fix: 'Run where the credential exists (Azure with a managed identity turned on, a pipeline with id-token: write), or pass another credential; without a browser use -DeviceCode.',
  },
  ERR_THROTTLED: {
    when: 'HTTP 429 still after 3 tries, or a Retry-After longer than the time left. Retried, honouring Retry-After.',
    fix: 'Ask less often (the session cache answers repeated calls), or pass a larger -TimeoutSec.',
  },
  ERR_SERVICE_UNAVAILABLE: {
    when: 'HTTP 5xx still after 3 tries (1 s, then 2 s apart).',
    fix: 'Wait and try again; check the Azure status page for Entra ID.',
  },
  ERR_INVALID_RESPONSE: {
    when:
      'An HTML page, truncated JSON, a 200 without access_token (a proxy or captive portal answering), or a token lifetime that is not 5 s to 7 days. Not retried.',
    fix: 'Check what answers for the login host on this network (proxy, captive portal, -AuthorityHost).',
  },
  ERR_NETWORK: {
    when: 'DNS failure, refused or reset connections after 3 tries, or a proxy that wants credentials (HTTP 407, not retried).',
    fix: 'Check DNS, the firewall and the proxy (-Proxy, ENTRAAUTH_PROXY, HTTPS_PROXY); a proxy needing credentials takes them in its URL.',
  },
  ERR_TLS: {
    when: "The login host's certificate is not trusted. Not retried.",
    fix: "Put the root of a TLS-inspecting proxy in the system store or in NODE_EXTRA_CA_CERTS; TLS verification is never turned off.",
  },
  ERR_TIMEOUT: {
    when: 'No answer within -TimeoutSec (with -Interactive or -DeviceCode: no sign-in within it).',
    fix: 'Pass a larger -TimeoutSec, or check the network path; for managed identity off Azure, -TimeoutSec 5 fails sooner.',
  },
  ERR_DEVICE_CODE_EXPIRED: {
    when: 'The device code expired (15 minutes) before the user signed in; EntraAuth never polls past expires_in.',
    fix: 'Run the command again and enter the new code in time.',
  },
  ERR_DEVICE_CODE_DECLINED: {
    when: 'The user declined the sign-in on the device login page.',
    fix: 'Run the command again and approve the sign-in.',
  },
  ERR_SIGN_IN_DECLINED: {
    when: '-Interactive: the user cancelled the sign-in or declined consent in the browser (access_denied, AADSTS65004).',
    fix: 'Run the command again and accept, or have an administrator grant admin consent.',
  },
  ERR_STATE_MISMATCH: {
    when: '-Interactive: an answer on the loopback port with a state this sign-in did not send (refused, port closed).',
    fix: 'Run the command again; if it repeats, something on this machine answers the sign-in for you: find it.',
  },
  ERR_INTERNAL: {
    when: 'A bug in the core.',
    fix: 'Run with -Debug and report it, with the output (it holds no secret).',
  },
  ERR_CORE_UNAVAILABLE: {
    meaning: 'The EntraAuth core cannot run here.',
    when: 'Neither the executable for this OS and architecture nor Node.js 20+ with the bundle is there, or ENTRAAUTH_CORE forces one that is missing; the message names both.',
    fix: 'Install the packaged module (the release zip or the Gallery folder), or install Node.js 20 or later; on Linux chmod +x the executable.',
  },
  ERR_KEY_NOT_EXPORTABLE: {
    meaning: 'The private key cannot be exported to the core.',
    when: 'A certificate key .NET will not export (a non-exportable key, Windows PowerShell 5.1). The module catches it and signs the assertion in PowerShell: it should never reach a script.',
    fix: 'None needed; if a script sees it, report it.',
  },
}
