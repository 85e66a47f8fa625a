// The only reader of process.env: returns a typed, frozen snapshot that the rest of the core is given.

import { ENV_VARS } from './constants.js'

export interface Env {
  readonly authorityHost: string | undefined
  readonly httpsProxy: string | undefined
  readonly httpProxy: string | undefined
  readonly noProxy: string | undefined
  readonly entraAuthProxy: string | undefined
  /** TLS trust (http/trust.ts): NODE_TLS_REJECT_UNAUTHORIZED only to warn that it is ignored. */
  readonly nodeTlsRejectUnauthorized: string | undefined
  readonly nodeExtraCaCerts: string | undefined
  readonly sslCertFile: string | undefined
  readonly sslCertDir: string | undefined
  /** Managed identity sources (protocol doc section 7). */
  readonly identityEndpoint: string | undefined
  readonly identityHeader: string | undefined
  readonly identityServerThumbprint: string | undefined
  readonly identityApiVersion: string | undefined
  readonly imdsEndpoint: string | undefined
  readonly msiEndpoint: string | undefined
  readonly msiSecret: string | undefined
  readonly defaultIdentityClientId: string | undefined
  readonly podIdentityAuthorityHost: string | undefined
  /** Workload identity federation (protocol doc section 6). */
  readonly federatedTokenFile: string | undefined
  readonly azureTenantId: string | undefined
  readonly azureClientId: string | undefined
  readonly actionsIdTokenRequestUrl: string | undefined
  readonly actionsIdTokenRequestToken: string | undefined
  /** Diagnostics: TLS issuers to expect besides Microsoft's own (ENTRAAUTH_TLS_EXPECTED_ISSUERS, comma-separated). */
  readonly tlsExpectedIssuers: readonly string[]
  /** Interactive sign-in: ENTRAAUTH_BROWSER, a display, an SSH session, Azure Automation (the variable's value). */
  readonly browser: string | undefined
  readonly display: string | undefined
  readonly sshSession: string | undefined
  readonly automation: string | undefined
  readonly programData: string | undefined
  readonly programFiles: string | undefined
}

function firstSet(source: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = source[name]
    if (value !== undefined && value.trim() !== '') return value.trim()
  }
  return undefined
}

/** Reads the variables the core honours. Tests pass their own `source`. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return Object.freeze({
    authorityHost: firstSet(source, [ENV_VARS.authorityHost]),
    httpsProxy: firstSet(source, ENV_VARS.httpsProxy),
    httpProxy: firstSet(source, ENV_VARS.httpProxy),
    noProxy: firstSet(source, ENV_VARS.noProxy),
    entraAuthProxy: firstSet(source, [ENV_VARS.entraAuthProxy]),
    nodeTlsRejectUnauthorized: firstSet(source, [ENV_VARS.nodeTlsRejectUnauthorized]),
    nodeExtraCaCerts: firstSet(source, [ENV_VARS.nodeExtraCaCerts]),
    sslCertFile: firstSet(source, [ENV_VARS.sslCertFile]),
    sslCertDir: firstSet(source, [ENV_VARS.sslCertDir]),
    identityEndpoint: firstSet(source, [ENV_VARS.identityEndpoint]),
    identityHeader: firstSet(source, [ENV_VARS.identityHeader]),
    identityServerThumbprint: firstSet(source, [ENV_VARS.identityServerThumbprint]),
    identityApiVersion: firstSet(source, [ENV_VARS.identityApiVersion]),
    imdsEndpoint: firstSet(source, [ENV_VARS.imdsEndpoint]),
    msiEndpoint: firstSet(source, [ENV_VARS.msiEndpoint]),
    msiSecret: firstSet(source, [ENV_VARS.msiSecret]),
    defaultIdentityClientId: firstSet(source, [ENV_VARS.defaultIdentityClientId]),
    podIdentityAuthorityHost: firstSet(source, [ENV_VARS.podIdentityAuthorityHost]),
    federatedTokenFile: firstSet(source, [ENV_VARS.federatedTokenFile]),
    azureTenantId: firstSet(source, [ENV_VARS.azureTenantId]),
    azureClientId: firstSet(source, [ENV_VARS.azureClientId]),
    actionsIdTokenRequestUrl: firstSet(source, [ENV_VARS.actionsIdTokenRequestUrl]),
    actionsIdTokenRequestToken: firstSet(source, [ENV_VARS.actionsIdTokenRequestToken]),
    tlsExpectedIssuers: Object.freeze((firstSet(source, [ENV_VARS.tlsExpectedIssuers]) ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '')),
    browser: firstSet(source, [ENV_VARS.browser]),
    display: firstSet(source, ENV_VARS.display),
    sshSession: firstSet(source, ENV_VARS.sshSession),
    automation: firstSet(source, ENV_VARS.automation),
    programData: firstSet(source, ['ProgramData', 'PROGRAMDATA']),
    programFiles: firstSet(source, ['ProgramFiles', 'PROGRAMFILES']),
  })
}
