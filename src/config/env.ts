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
  /** Managed identity sources (docs/entra-protocol.md §7 "Managed identity endpoints"). */
  readonly identityEndpoint: string | undefined
  readonly identityHeader: string | undefined
  readonly identityServerThumbprint: string | undefined
  readonly identityApiVersion: string | undefined
  readonly imdsEndpoint: string | undefined
  readonly msiEndpoint: string | undefined
  readonly msiSecret: string | undefined
  readonly defaultIdentityClientId: string | undefined
  readonly podIdentityAuthorityHost: string | undefined
  /** Workload identity federation (docs/entra-protocol.md §6 "Workload identity federation"). */
  readonly federatedTokenFile: string | undefined
  readonly azureTenantId: string | undefined
  readonly azureClientId: string | undefined
  readonly actionsIdTokenRequestUrl: string | undefined
  readonly actionsIdTokenRequestToken: string | undefined
  /** Diagnostics: TLS issuers to expect besides Microsoft's own (ENTRAAUTH_TLS_EXPECTED_ISSUERS, comma-separated). */
  readonly tlsExpectedIssuers: readonly string[]
  /** Diagnostics: the Microsoft Graph base to read the app's registration from instead of the cloud's (ENTRAAUTH_GRAPH_ENDPOINT). */
  readonly graphEndpoint: string | undefined
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
    tlsExpectedIssuers: Object.freeze(
      (firstSet(source, [ENV_VARS.tlsExpectedIssuers]) ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
    graphEndpoint: firstSet(source, [ENV_VARS.graphEndpoint]),
    browser: firstSet(source, [ENV_VARS.browser]),
    display: firstSet(source, ENV_VARS.display),
    sshSession: firstSet(source, ENV_VARS.sshSession),
    automation: firstSet(source, ENV_VARS.automation),
    programData: firstSet(source, ENV_VARS.programData),
    programFiles: firstSet(source, ENV_VARS.programFiles),
  })
}

/** Who reads a variable: the core (readEnv above) or the PowerShell module (module/private/). */
export type EnvironmentReader = 'core' | 'core and module' | 'module' | 'module, tests only'

/** One row of the documented variables: the names that mean the same thing, and what they do. */
export interface EnvironmentVariable {
  readonly names: readonly string[]
  readonly readBy: EnvironmentReader
  readonly meaning: string
}

const core = (meaning: string, ...keys: (keyof typeof ENV_VARS)[]): EnvironmentVariable => ({
  names: keys.flatMap((key): readonly string[] => {
    const names: string | readonly string[] = ENV_VARS[key]
    return typeof names === 'string' ? [names] : names
  }),
  readBy: 'core',
  meaning,
})

/**
 * Every environment variable EntraAuth reads, for the docs (build/docs.mjs writes docs/environment.md from it).
 * test/docs/generated.test.ts holds it to ENV_VARS and to the `$env:` reads of module/. A function, so that the
 * core's bundle, which never calls it, leaves the table out.
 */
export function documentedEnvironmentVariables(): readonly EnvironmentVariable[] {
  return [
    {
      ...core(
        'Login host when neither -AuthorityHost nor -Environment is given (the module reads it too, for the session cache key); the resident core connects to it at start, before the first request, unless a proxy variable applies.',
        'authorityHost',
      ),
      readBy: 'core and module',
    },
    core(
      'Proxy for token requests (never for managed identity endpoints or loopback); when set, the system proxy is not asked.',
      'httpsProxy',
      'httpProxy',
    ),
    core('Hosts that go direct instead of through HTTPS_PROXY or HTTP_PROXY.', 'noProxy'),
    core(
      'Proxy for token requests, stronger than HTTPS_PROXY and the system proxy (-Proxy is stronger still); NO_PROXY does not apply to it.',
      'entraAuthProxy',
    ),
    core(
      'Ignored: 0 does not turn TLS verification off, and each request logs a warning that says so.',
      'nodeTlsRejectUnauthorized',
    ),
    core(
      'Extra root CAs (a TLS-inspecting proxy whose root is not in the system store); TLS verification is never turned off.',
      'nodeExtraCaCerts',
    ),
    core(
      "Linux: where the system certificate store is (default /etc/ssl/cert.pem, /etc/ssl/certs); trusted along with Node's roots.",
      'sslCertFile',
      'sslCertDir',
    ),
    core(
      'Set by Azure (App Service, Functions, Automation, Service Fabric, Arc): the managed identity endpoint and its secret header.',
      'identityEndpoint',
      'identityHeader',
    ),
    core(
      "Set by Service Fabric: the thumbprint its identity endpoint's certificate is pinned to.",
      'identityServerThumbprint',
    ),
    core(
      'Set by Service Fabric: the api-version of its identity endpoint (default 2019-07-01-preview).',
      'identityApiVersion',
    ),
    core('Set by Azure Arc: with IDENTITY_ENDPOINT, says the Arc agent is here.', 'imdsEndpoint'),
    core(
      'Set by Azure Machine Learning (with MSI_SECRET) and Cloud Shell (alone): their identity endpoint.',
      'msiEndpoint',
      'msiSecret',
    ),
    core(
      'Set by Azure Machine Learning: the client id of its default user-assigned identity, used when no -ClientId is given.',
      'defaultIdentityClientId',
    ),
    core(
      'Another host for IMDS instead of 169.254.169.254 (the tests point it at the emulator).',
      'podIdentityAuthorityHost',
    ),
    core(
      'Workload identity (Kubernetes, AKS): the federated token file, tenant and client; with all three set, -ManagedIdentity exchanges that token, as @azure/identity does.',
      'federatedTokenFile',
      'azureTenantId',
      'azureClientId',
    ),
    core(
      "Set by GitHub Actions for jobs with id-token: write: -WorkloadIdentity fetches the OIDC token with the cloud's token exchange audience. Plain http is refused off loopback.",
      'actionsIdTokenRequestUrl',
      'actionsIdTokenRequestToken',
    ),
    core(
      "Test-MicrosoftEntraIDApplicationAccess: more TLS issuers (common names, comma-separated) to take as ones Microsoft's login hosts use; the tests name the emulator's CA (docs/diagnostics.md).",
      'tlsExpectedIssuers',
    ),
    core(
      "Test-MicrosoftEntraIDApplicationAccess: the Microsoft Graph base (https URL) where the secret expiry check reads the app's own registration, instead of the cloud's Graph; the tests name the emulator (docs/diagnostics.md).",
      'graphEndpoint',
    ),
    core(
      '-Interactive: the program that opens the sign-in page (a path, given the URL as its only argument, no shell) instead of rundll32, open or xdg-open; skips the no-browser checks.',
      'browser',
    ),
    core('-Interactive: a graphical session on Linux; without one no browser is opened.', 'display'),
    core(
      '-Interactive: an SSH session, where a browser would open on the remote machine; no browser is opened.',
      'sshSession',
    ),
    core('-Interactive: set in Azure Automation sandboxes, where nobody can use a browser.', 'automation'),
    core(
      'Windows: where the Azure Arc agent and its token files are (default C:\\ProgramData, C:\\Program Files).',
      'programData',
      'programFiles',
    ),
    {
      names: ['ENTRAAUTH_CORE'],
      readBy: 'module',
      meaning:
        'executable or node: run the core only that way, no fallback (see docs/install.md, Which core runs where). Unset: the executable, else node.',
    },
    {
      names: ['ENTRAAUTH_CORE_IDLE_SEC'],
      readBy: 'module',
      meaning:
        'Seconds a resident core stays without a request before it exits (default 300, 1 to 86400); the next call starts a new one.',
    },
    {
      names: ['PROCESSOR_ARCHITEW6432', 'PROCESSOR_ARCHITECTURE'],
      readBy: 'module',
      meaning: 'Windows: which executable fits (win-x64 or win-arm64), also from a 32-bit PowerShell.',
    },
    {
      names: ['ENTRAAUTH_TEST_STDIN_PREAMBLE'],
      readBy: 'module, tests only',
      meaning:
        "1: the module writes the UTF-8 preamble before a new core's first request, as .NET Framework does (the packaged Pester run sets it).",
    },
  ]
}
