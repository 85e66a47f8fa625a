// The one source of the public cmdlets' parameters: each parameter's type, parameter sets, validation, help (what
// Get-Help shows) and row in docs/parameters.md. build/generate/cmdletSurface.mjs writes them into the cmdlet files.

/** The cmdlets whose whole parameter block is generated, in their order in docs/parameters.md. */
export const HEADER_CMDLET = 'Build-MicrosoftEntraIDApplicationAccessHeader'
export const TOKEN_CMDLET = 'Get-MicrosoftEntraIDApplicationAccessToken'
export const CMDLETS = [HEADER_CMDLET, TOKEN_CMDLET]

/**
 * Cmdlets that take the credential parameters between `# shared credential parameters: begin/end` in a param block of
 * their own: the shared parameters (not those a cmdlet of CMDLETS has alone), without the parameter sets and
 * parameters named here.
 */
export const CREDENTIAL_CMDLETS = {
  // The diagnostics sign nobody in (nobody may be there) and never use the cache.
  'Test-MicrosoftEntraIDApplicationAccess': { withoutSets: ['DeviceCode', 'Interactive'], without: ['Force'] },
}

/** Sets where the tenant and client are named (mandatory tenant, position 0 and 1), as the seed's functions had them. */
const CREDENTIAL_SETS = [
  'ClientSecret',
  'Credential',
  'CertificatePath',
  'CertificateThumbprint',
  'Certificate',
  'ClientAssertion',
]
const CERTIFICATE_SETS = ['CertificatePath', 'CertificateThumbprint', 'Certificate']

/**
 * @typedef {{ set: string, mandatory?: boolean, position?: number }} SetMembership
 * @typedef {object} ParameterSource
 * @property {string} name
 * @property {string} type the PowerShell type, as written in the param block
 * @property {'credential' | 'request' | 'output'} group credential parameters name who asks and how (shared with
 *   every cmdlet that takes a credential); request parameters shape the token request; output parameters are per cmdlet
 * @property {SetMembership[]} [sets] one [Parameter()] attribute per set; none: the parameter is in every set
 * @property {string[]} [validation] attributes after the [Parameter()] ones, e.g. "[ValidateSet('A', 'B')]"
 * @property {string} help what Get-Help shows (one paragraph; wrapped by the generator)
 * @property {Record<string, string>} [helpFor] a cmdlet's own help text instead of `help`
 * @property {string[]} [cmdlets] the cmdlets that have it; none: every cmdlet in CMDLETS
 * @property {{ type?: string, position?: string, text: string }} table the row in docs/parameters.md (Markdown);
 *   type and position default to what the param block says
 */

/** @type {ParameterSource[]} */
export const PARAMETERS = [
  {
    name: 'TenantId',
    type: 'string',
    group: 'credential',
    sets: [
      ...CREDENTIAL_SETS.map((set) => ({ set, mandatory: true, position: 0 })),
      { set: 'FederatedTokenFile' },
      { set: 'WorkloadIdentity' },
      { set: 'ManagedIdentity' },
      { set: 'DeviceCode', position: 0 },
      { set: 'Interactive', position: 0 },
    ],
    help: `Directory (tenant) ID GUID, or a verified domain such as contoso.onmicrosoft.com. Not needed with
      -ManagedIdentity; with -WorkloadIdentity it defaults to AZURE_TENANT_ID; with -Interactive and -DeviceCode it
      defaults to 'organizations' (the user's home tenant; 'common' also allows personal accounts).`,
    table: {
      position: '0, mandatory',
      text: `Directory (tenant) ID GUID or verified domain (\`contoso.onmicrosoft.com\`). \`common\`/\`organizations\` only with a refresh token, \`-Interactive\` or \`-DeviceCode\`, where it is optional and defaults to \`organizations\`. Not needed with \`-ManagedIdentity\`; with \`-WorkloadIdentity\`/\`-FederatedTokenFile\` it defaults to \`AZURE_TENANT_ID\`.`,
    },
  },
  {
    name: 'ClientId',
    type: 'string',
    group: 'credential',
    sets: [
      { set: 'ClientSecret', position: 1 },
      ...CREDENTIAL_SETS.filter((set) => !['ClientSecret', 'Credential'].includes(set)).map((set) => ({
        set,
        mandatory: true,
        position: 1,
      })),
      { set: 'FederatedTokenFile' },
      { set: 'WorkloadIdentity' },
      { set: 'ManagedIdentity' },
      { set: 'DeviceCode', position: 1 },
      { set: 'Interactive', position: 1 },
    ],
    help: `Application (client) ID of the app registration. Needed for client secrets, certificates and refresh tokens.
      With -Interactive and -DeviceCode it defaults, for Microsoft Graph scopes, to the Microsoft Graph Command Line
      Tools client 14d82eec-204b-4c2f-b7e8-296a70dab67e (as Connect-MgGraph), and for other resources (Azure Resource
      Manager, Key Vault) to Azure PowerShell's 1950a258-227b-4e31-a9cf-717495945fc2 (as Connect-AzAccount). Your own
      app needs 'Allow public client flows' set to Yes, and for -Interactive the redirect URI http://localhost.`,
    table: {
      text: `Application (client) ID GUID of the app registration. With \`-Interactive\` and \`-DeviceCode\` it defaults by scope (see [Default clients](interactive.md#default-clients-and-when-to-register-your-own-app)): Microsoft Graph Command Line Tools \`14d82eec-204b-4c2f-b7e8-296a70dab67e\` for Graph, Azure PowerShell \`1950a258-227b-4e31-a9cf-717495945fc2\` for other resources; an app of your own needs *Allow public client flows* = Yes (and the redirect URI \`http://localhost\` for \`-Interactive\`).`,
    },
  },
  {
    name: 'ClientSecret',
    type: 'object',
    group: 'credential',
    sets: [{ set: 'ClientSecret', position: 2 }],
    help: `The client secret's Value (not its Secret ID), as a string or a SecureString.`,
    table: { type: 'string or SecureString', text: "The secret's **Value** (not its Secret ID)." },
  },
  {
    name: 'RefreshToken',
    type: 'object',
    group: 'credential',
    sets: [{ set: 'ClientSecret', position: 3 }, { set: 'Credential' }],
    help: `A refresh token from an earlier delegated sign-in, as a string or a SecureString. Needs -ClientId: the
      client the token was issued to. Pass -ClientSecret too when that client is confidential.`,
    table: {
      type: 'string or SecureString',
      text: 'A refresh token from a delegated sign-in; needs `-ClientId`. With `-ClientSecret` too for a confidential app. Wins over `-ClientSecret` when both are given, as in the seed.',
    },
  },
  {
    name: 'Credential',
    type: 'System.Management.Automation.PSCredential',
    group: 'credential',
    sets: [{ set: 'Credential', mandatory: true }],
    help: `A PSCredential whose user name is the client id and whose password is the client secret, as an Azure
      Automation credential asset (Get-AutomationPSCredential) gives it.`,
    table: {
      type: 'PSCredential',
      text: 'User name = client id, password = secret (Automation credential assets). Its own parameter set.',
    },
  },
  {
    name: 'CertificatePath',
    type: 'string',
    group: 'credential',
    sets: [{ set: 'CertificatePath', mandatory: true }],
    help: `A PFX/P12 file with the certificate and its private key (with -CertificatePassword), or a PEM file with the
      certificate (and its chain) and the private key: PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 (BEGIN RSA PRIVATE KEY) or
      encrypted (BEGIN ENCRYPTED PRIVATE KEY, or OpenSSL's Proc-Type form, with -CertificatePassword). Relative paths
      start at the current location.`,
    table: {
      text: 'A PFX/P12 file (opened by .NET), or a PEM file with the certificate (and chain) and its private key: PKCS#8, PKCS#1 or encrypted (read by the core). A regular file (or a symlink to one) of at most 1 MiB; FIFOs and devices are refused. Its own parameter set, with a mandatory `-ClientId`.',
    },
  },
  {
    name: 'CertificatePassword',
    type: 'object',
    group: 'credential',
    sets: [{ set: 'CertificatePath' }],
    help: `The password of the PFX file or of the encrypted PEM key, as a string or a SecureString.`,
    table: { type: 'string or SecureString', text: 'Password of the PFX file or of the encrypted PEM key.' },
  },
  {
    name: 'CertificateThumbprint',
    type: 'string',
    group: 'credential',
    sets: [{ set: 'CertificateThumbprint', mandatory: true }],
    help: `The SHA-1 thumbprint of a certificate with its private key in Cert:\\CurrentUser\\My or, if not there,
      Cert:\\LocalMachine\\My (on Linux and macOS: .NET's certificate stores of those names).`,
    table: {
      text: "SHA-1 thumbprint of a certificate with its private key in `Cert:\\CurrentUser\\My`, else `Cert:\\LocalMachine\\My` (on Linux/macOS: .NET's stores of those names). Spaces, colons and invisible marks copied along are ignored. Its own parameter set.",
    },
  },
  {
    name: 'Certificate',
    type: 'System.Security.Cryptography.X509Certificates.X509Certificate2',
    group: 'credential',
    sets: [{ set: 'Certificate', mandatory: true }],
    help: `An X509Certificate2 with its private key, as Get-AutomationCertificate or
      Get-Item Cert:\\CurrentUser\\My\\<thumbprint> return it.`,
    table: {
      type: 'X509Certificate2',
      text: 'A certificate with its private key, as `Get-AutomationCertificate` or `Get-Item Cert:\\…` return it. Its own parameter set.',
    },
  },
  {
    name: 'SendCertificateChain',
    type: 'switch',
    group: 'credential',
    sets: CERTIFICATE_SETS.map((set) => ({ set })),
    help: `Adds the certificate and the issuers found for it (x5c) to the assertion, for apps that trust a certificate
      by subject name and issuer instead of by its uploaded public key.`,
    table: {
      text: 'Adds `x5c` (the certificate and the issuers found for it) to the assertion, for subject name + issuer authentication.',
    },
  },
  {
    name: 'SigningAlgorithm',
    type: 'string',
    group: 'credential',
    sets: CERTIFICATE_SETS.map((set) => ({ set })),
    validation: ["[ValidateSet('RS256', 'PS256')]"],
    help: `RS256 (default; RSASSA-PKCS1-v1_5) or PS256 (RSASSA-PSS) for the client assertion.`,
    table: { text: 'Signature of the client assertion; default RS256.' },
  },
  {
    name: 'ManagedIdentity',
    type: 'switch',
    group: 'credential',
    sets: [{ set: 'ManagedIdentity', mandatory: true }],
    help: `Uses the managed identity of the Azure resource this runs on (VM, scale set, App Service, Functions,
      Automation, Arc, Cloud Shell, Service Fabric); no tenant or secret needed. System-assigned by default; a
      user-assigned one with -ClientId, -ManagedIdentityObjectId or -ManagedIdentityResourceId.`,
    table: {
      text: 'The managed identity of the Azure resource this runs on (see [identity.md](identity.md)). System-assigned; user-assigned with `-ClientId`, `-ManagedIdentityObjectId` or `-ManagedIdentityResourceId`. Its own parameter set.',
    },
  },
  {
    name: 'ManagedIdentityObjectId',
    type: 'string',
    group: 'credential',
    sets: [{ set: 'ManagedIdentity' }],
    help: `Object (principal) id of a user-assigned managed identity (IMDS and App Service/Automation only).`,
    table: {
      text: 'A user-assigned identity by object (principal) id; IMDS and App Service/Automation only (the others say so before any request).',
    },
  },
  {
    name: 'ManagedIdentityResourceId',
    type: 'string',
    group: 'credential',
    sets: [{ set: 'ManagedIdentity' }],
    help: `Azure resource id of a user-assigned managed identity (IMDS and App Service/Automation only).`,
    table: {
      text: 'A user-assigned identity by Azure resource id; IMDS and App Service/Automation only (the others say so before any request).',
    },
  },
  {
    name: 'WorkloadIdentity',
    type: 'switch',
    group: 'credential',
    sets: [{ set: 'WorkloadIdentity', mandatory: true }],
    help: `Exchanges a token of another identity provider for an Entra token (workload identity federation): the file
      in AZURE_FEDERATED_TOKEN_FILE (Kubernetes), else the GitHub Actions OIDC token. Tenant and client come from
      -TenantId and -ClientId, else AZURE_TENANT_ID and AZURE_CLIENT_ID.`,
    table: {
      text: 'Workload identity federation: the token in `AZURE_FEDERATED_TOKEN_FILE`, else the GitHub Actions OIDC token; tenant and client default to `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`. Its own parameter set.',
    },
  },
  {
    name: 'FederatedTokenFile',
    type: 'string',
    group: 'credential',
    sets: [{ set: 'FederatedTokenFile', mandatory: true }],
    help: `A file holding the federated token to exchange (workload identity); read anew for each token.`,
    table: {
      text: "A file holding the federated token, read for each token (relative paths are PowerShell's): a regular file (or a symlink to one) of at most 64 KiB holding a JWT, else an error before any request. Its own parameter set.",
    },
  },
  {
    name: 'ClientAssertion',
    type: 'object',
    group: 'credential',
    sets: [{ set: 'ClientAssertion', mandatory: true }],
    help: `A federated token (JWT) to exchange: a string, a SecureString, or a script block that returns one, run anew
      for each token.`,
    table: {
      type: 'string, SecureString or scriptblock',
      text: 'A federated token to exchange; a script block runs anew for each token. Its own parameter set, with `-TenantId` and `-ClientId`.',
    },
  },
  {
    name: 'DeviceCode',
    type: 'switch',
    group: 'credential',
    sets: [{ set: 'DeviceCode', mandatory: true }],
    help: `Signs a user in with a device code (delegated permissions): the host shows where to go and which code to
      enter, while EntraAuth polls Entra until the user has signed in, declined, or the code expired (15 minutes).
      Ctrl+C stops it at once. offline_access is added to -Scope, so the refresh token stays in the session cache and
      renews the token silently; the returned object has it in RefreshToken (SecureString), for -RefreshToken later
      with the same -ClientId.`,
    helpFor: {
      [HEADER_CMDLET]: `Signs a user in with a device code (delegated permissions): the host shows where to go and which
        code to enter, while EntraAuth polls Entra until the user has signed in, declined, or the code expired (15
        minutes). Ctrl+C stops it at once. offline_access is added to -Scope, so the refresh token stays in the session
        cache and renews the token silently; -PassThru returns the token object with its RefreshToken.`,
    },
    table: {
      text: 'Signs a user in with a device code (delegated permissions): the instruction (URL and code) is shown on the host while EntraAuth polls. `offline_access` is added to `-Scope`. Its own parameter set.',
    },
  },
  {
    name: 'Interactive',
    type: 'switch',
    group: 'credential',
    sets: [{ set: 'Interactive', mandatory: true }],
    help: `Signs a user in with the system browser (authorization code with PKCE): the sign-in page of the chosen cloud
      opens, and EntraAuth takes the answer on http://localhost:<free port>/ (127.0.0.1 and ::1), once, then closes the
      port. A wrong state, a declined sign-in, -TimeoutSec (default 300) and Ctrl+C end it with the port closed. The
      refresh token stays in the session cache. ENTRAAUTH_BROWSER names another program to open the page with. Where
      no browser can open (SSH, remote PowerShell, Azure Automation, no display) it says so: use -DeviceCode.`,
    table: {
      text: 'Signs a user in with the system browser: authorization code with PKCE and a loopback redirect (see [interactive.md](interactive.md)). `offline_access` (and `openid profile`) are added to `-Scope`. Its own parameter set.',
    },
  },
  {
    name: 'LoginHint',
    type: 'string',
    group: 'credential',
    sets: [{ set: 'Interactive' }],
    help: `With -Interactive: the account to sign in (user@contoso.com), filled in on the sign-in page.`,
    table: { text: "With `-Interactive`: the account to sign in, filled in on the sign-in page (MSAL's `loginHint`)." },
  },
  {
    name: 'Prompt',
    type: 'string',
    group: 'credential',
    sets: [{ set: 'Interactive' }],
    validation: ["[ValidateSet('select_account', 'login', 'consent')]"],
    help: `With -Interactive: select_account (choose an account), login (enter the credentials again) or consent (show
      the consent page again), as MSAL's prompt.`,
    table: {
      text: "With `-Interactive`: choose an account, enter the credentials again, or see the consent page again (MSAL's `prompt`).",
    },
  },
  {
    name: 'Scope',
    type: 'string[]',
    group: 'request',
    help: `Scopes to ask for. Default: Microsoft Graph of the chosen cloud (https://graph.microsoft.com/.default). A
      bare resource such as https://management.azure.com becomes https://management.azure.com/.default.`,
    table: {
      text: "Default: the cloud's Microsoft Graph `/.default`. A bare resource (`https://management.azure.com`, an app id GUID, `api://x`) gets `/.default`; a resource ending in `/` keeps it (`https://management.core.windows.net//.default`), as Entra expects. App-only tokens take exactly one resource.",
    },
  },
  {
    name: 'Environment',
    type: 'string',
    group: 'request',
    validation: ["[ValidateSet('Global', 'USGov', 'China')]"],
    help: `The cloud: Global (default), USGov or China. Sets the login host and the default Graph scope.`,
    table: {
      text: 'Login host and default Graph scope: `login.microsoftonline.com` / `graph.microsoft.com`, `login.microsoftonline.us` / `graph.microsoft.us`, `login.chinacloudapi.cn` / `microsoftgraph.chinacloudapi.cn`.',
    },
  },
  {
    name: 'AuthorityHost',
    type: 'uri',
    group: 'request',
    help: `The login host, e.g. https://login.microsoftonline.us. Default: -Environment, else the AZURE_AUTHORITY_HOST
      environment variable, else https://login.microsoftonline.com.`,
    table: {
      text: 'Login host; wins over `-Environment`. https only (plain http is accepted for loopback test servers only); no path.',
    },
  },
  {
    name: 'TimeoutSec',
    type: 'int',
    group: 'request',
    validation: ['[ValidateRange(1, 3600)]'],
    help: `Most seconds to spend on the token, retries included (1 to 3600, default 60; with -DeviceCode 900, the time
      the user has to sign in).`,
    table: {
      type: 'int 1–3600',
      text: "Most time for the token, retries included. Default 60; with `-Interactive` 300 and with `-DeviceCode` 900 (the user's time to sign in included).",
    },
  },
  {
    name: 'Force',
    type: 'switch',
    group: 'request',
    help: `Gets a new token even while the session cache holds a valid one (with -DeviceCode: a new sign-in), and
      caches that one instead.`,
    table: {
      text: 'Skips the session cache: a new token (with `-DeviceCode` a new sign-in), which then replaces the cached one.',
    },
  },
  {
    name: 'PassThru',
    type: 'switch',
    group: 'output',
    cmdlets: [HEADER_CMDLET],
    help: `Returns the token object (EntraAuth.AccessToken, as Get-MicrosoftEntraIDApplicationAccessToken returns it,
      with ExpiresOn, Audience, Roles, Scope and RefreshToken) instead of the header. The globals are set either way.`,
    table: {
      text: '`Build-…Header` only: returns the token object (as `Get-…Token` does, with `RefreshToken`) instead of the header; the globals are set either way.',
    },
  },
  {
    name: 'Proxy',
    type: 'uri',
    group: 'request',
    help: `The proxy for the token requests, e.g. http://proxy.contoso.com:8080 (credentials, if it wants them:
      http://user:password@proxy.contoso.com:8080). Stronger than ENTRAAUTH_PROXY, HTTPS_PROXY and the system proxy
      (Windows' proxy settings, which are used when none of these is set). Managed identity endpoints and loopback
      hosts never go through a proxy.`,
    table: {
      text: 'The proxy for token requests (`http://host:port`, or `http://user:password@host:port`); wins over `ENTRAAUTH_PROXY`, `HTTPS_PROXY` and the system proxy. See [proxies-and-trust.md](proxies-and-trust.md).',
    },
  },
]
