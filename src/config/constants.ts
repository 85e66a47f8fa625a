// Fixed facts of the Microsoft clouds and of this program: hosts, scopes, limits, variable names.

import table from '../protocol/protocol.json' with { type: 'json' }

export { PROTOCOL_VERSION } from '../protocol/table.js'

/**
 * National clouds (docs/entra-protocol.md §8 "National clouds"). `tokenExchangeAudience` is the audience of federated tokens Entra takes in
 * that cloud (the GitHub Actions OIDC token is asked for with it), as MSAL.NET's KnownCloudConfiguration and Microsoft
 * Learn ("Configure an app to trust an external identity provider") list it.
 */
export const CLOUDS = {
  Global: {
    authorityHost: 'https://login.microsoftonline.com',
    graphScope: 'https://graph.microsoft.com/.default',
    graphEndpoint: 'https://graph.microsoft.com',
    tokenExchangeAudience: 'api://AzureADTokenExchange',
  },
  USGov: {
    authorityHost: 'https://login.microsoftonline.us',
    graphScope: 'https://graph.microsoft.us/.default',
    graphEndpoint: 'https://graph.microsoft.us',
    tokenExchangeAudience: 'api://AzureADTokenExchangeUSGov',
  },
  China: {
    authorityHost: 'https://login.chinacloudapi.cn',
    graphScope: 'https://microsoftgraph.chinacloudapi.cn/.default',
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
    tokenExchangeAudience: 'api://AzureADTokenExchangeChina',
  },
} as const

export type CloudName = keyof typeof CLOUDS

/** Other login hosts that belong to a cloud, so a host taken from AZURE_AUTHORITY_HOST picks its Graph scope. */
export const CLOUD_HOST_ALIASES: Record<string, CloudName> = {
  'login.microsoftonline.com': 'Global',
  'login.windows.net': 'Global',
  'login.microsoft.com': 'Global',
  'sts.windows.net': 'Global',
  'login.microsoftonline.us': 'USGov',
  'login.usgovcloudapi.net': 'USGov',
  'login.chinacloudapi.cn': 'China',
  'login.partner.microsoftonline.cn': 'China',
}

/** Tenants that only user flows accept (docs/entra-protocol.md §2.2 "Tenant path segment"). */
export const USER_ONLY_TENANTS = ['common', 'organizations', 'consumers'] as const

export const LIMITS = {
  /** Total time for one token request, retries included, unless -TimeoutSec says otherwise. */
  defaultTimeoutSec: table.defaults.timeoutSec,
  /** Tries of one token request: the first plus two retries. */
  maxAttempts: 3,
  /** First back-off when the server gave no Retry-After; doubled per retry. */
  baseRetryDelayMs: 1000,
  /** Largest response body read from a token endpoint. */
  maxResponseBytes: 1024 * 1024,
} as const

/** Names of the environment variables the core reads (only config/env.ts reads them). */
export const ENV_VARS = {
  authorityHost: 'AZURE_AUTHORITY_HOST',
  httpsProxy: ['HTTPS_PROXY', 'https_proxy'],
  httpProxy: ['HTTP_PROXY', 'http_proxy'],
  noProxy: ['NO_PROXY', 'no_proxy'],
  /** The proxy for token requests, stronger than HTTPS_PROXY and the system proxy; -Proxy is stronger still. */
  entraAuthProxy: 'ENTRAAUTH_PROXY',
  /** Read only to say that it is ignored: TLS is always verified. */
  nodeTlsRejectUnauthorized: 'NODE_TLS_REJECT_UNAUTHORIZED',
  /** Node 22 reads these itself; on Node 20 http/trust.ts reads them (OpenSSL's system store locations). */
  nodeExtraCaCerts: 'NODE_EXTRA_CA_CERTS',
  sslCertFile: 'SSL_CERT_FILE',
  sslCertDir: 'SSL_CERT_DIR',
  identityEndpoint: 'IDENTITY_ENDPOINT',
  identityHeader: 'IDENTITY_HEADER',
  identityServerThumbprint: 'IDENTITY_SERVER_THUMBPRINT',
  identityApiVersion: 'IDENTITY_API_VERSION',
  imdsEndpoint: 'IMDS_ENDPOINT',
  msiEndpoint: 'MSI_ENDPOINT',
  msiSecret: 'MSI_SECRET',
  defaultIdentityClientId: 'DEFAULT_IDENTITY_CLIENT_ID',
  podIdentityAuthorityHost: 'AZURE_POD_IDENTITY_AUTHORITY_HOST',
  federatedTokenFile: 'AZURE_FEDERATED_TOKEN_FILE',
  azureTenantId: 'AZURE_TENANT_ID',
  azureClientId: 'AZURE_CLIENT_ID',
  actionsIdTokenRequestUrl: 'ACTIONS_ID_TOKEN_REQUEST_URL',
  actionsIdTokenRequestToken: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  /** Diagnostics: more TLS issuers (common names, comma-separated) to take as ones Microsoft's login hosts use; tests name the emulator's CA. */
  tlsExpectedIssuers: 'ENTRAAUTH_TLS_EXPECTED_ISSUERS',
  /** Diagnostics: another Microsoft Graph base than the cloud's, where the secret expiry check reads the app's registration; tests name the emulator. */
  graphEndpoint: 'ENTRAAUTH_GRAPH_ENDPOINT',
  /** Interactive sign-in: another program to open the sign-in page with, and what tells whether a browser can open. */
  browser: 'ENTRAAUTH_BROWSER',
  display: ['DISPLAY', 'WAYLAND_DISPLAY'],
  sshSession: ['SSH_CONNECTION', 'SSH_CLIENT', 'SSH_TTY'],
  automation: ['AZUREPS_HOST_ENVIRONMENT', 'AUTOMATION_ASSET_ACCOUNTID'],
  /** Windows folders, for the Azure Arc agent's files. */
  programData: ['ProgramData', 'PROGRAMDATA'],
  programFiles: ['ProgramFiles', 'PROGRAMFILES'],
} as const
