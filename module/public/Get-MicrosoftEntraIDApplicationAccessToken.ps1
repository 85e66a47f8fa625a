function Get-MicrosoftEntraIDApplicationAccessToken {
    <#
    .SYNOPSIS
        Gets a Microsoft Entra ID access token and saves "<type> <token>" in $global:MicrosoftEntraIDAccessToken.

    .DESCRIPTION
        Drop-in replacement for the function of the same name from the LNC Docs page: same parameters,
        same positions, same global variable. It asks Entra's v2.0 token endpoint for a token with the
        client credentials grant (client secret or certificate), the refresh token grant or a device code
        sign-in, and never
        loops: only 429, 5xx and network failures are retried, at most 3 tries within -TimeoutSec.

        With a certificate (-CertificatePath, -CertificateThumbprint or -Certificate) it sends a client
        assertion: a JWT signed with the certificate's private key (RS256, or PS256 with -SigningAlgorithm),
        valid for 10 minutes. The key goes to the EntraAuth core only over its standard input; a key
        that cannot be exported (a non-exportable key in the Windows certificate store) signs in PowerShell.

        The returned object shows as redacted in the console and in transcripts; "Bearer $token" or
        [string]$token give the access token itself. Failures are terminating errors with the id
        EntraAuth.<code>, Entra's AADSTS code, its trace and correlation ids, and what to fix.

        A session cache keeps each token (refresh tokens as SecureString): the same call again returns it while
        it has more than 5 minutes left ($EntraAuthRefreshMarginSec sets the margin in seconds), else gets a new
        one, silently with the refresh token where there is one. -Force skips the cache;
        Clear-MicrosoftEntraIDTokenCache empties it. The globals stay valid for the whole session: a read
        breakpoint renews $global:MicrosoftEntraIDAccessToken from the cache when a script reads it near expiry ($EntraAuthLiveGlobals = $false turns that off).

    .EXAMPLE
        Get-MicrosoftEntraIDApplicationAccessToken -tenantid $tenantId -clientid $clientId -clientSecret $clientSecret
        Invoke-RestMethod -Uri https://graph.microsoft.com/v1.0/users -Headers @{ Authorization = $global:MicrosoftEntraIDAccessToken }

        The seed page's call: the token lands in $global:MicrosoftEntraIDAccessToken as "Bearer eyJ...".

    .EXAMPLE
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenantId -Credential (Get-AutomationPSCredential -Name 'GraphApp') -Scope https://management.azure.com
        Invoke-RestMethod -Uri 'https://management.azure.com/subscriptions?api-version=2022-12-01' -Headers @{ Authorization = "Bearer $token" }

        An Azure Automation runbook with a credential asset, asking for an Azure Resource Manager token.

    .EXAMPLE
        Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenantId -ClientId $publicClientId -RefreshToken $refreshToken -Scope 'https://graph.microsoft.com/.default'

        Renews a delegated token from a refresh token.

    .EXAMPLE
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenantId -ClientId $clientId -CertificatePath ./app.pfx -CertificatePassword (Read-Host -AsSecureString)

        A certificate from a PFX file (a PEM file with certificate and key works the same way).

    .EXAMPLE
        Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenantId -ClientId $clientId -CertificateThumbprint 'A909502DD82AE41433E6F83886B00D4277A32A7B'

        A certificate from Cert:\CurrentUser\My (or Cert:\LocalMachine\My), found by its thumbprint.

    .EXAMPLE
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenantId -ClientId $clientId -Certificate (Get-AutomationCertificate -Name 'GraphAppCert') -SendCertificateChain

        An Azure Automation runbook with a certificate asset, sending its chain (x5c).

    .EXAMPLE
        $token = Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity -Scope https://management.azure.com

        An Azure Automation runbook, Function or VM with its system-assigned managed identity.

    .EXAMPLE
        $token = Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity -ClientId $userAssignedClientId

        A user-assigned managed identity, named by its client id.

    .EXAMPLE
        $token = Get-MicrosoftEntraIDApplicationAccessToken -WorkloadIdentity

        Kubernetes workload identity (AZURE_FEDERATED_TOKEN_FILE, AZURE_TENANT_ID, AZURE_CLIENT_ID) or a GitHub
        Actions job with "permissions: id-token: write" and AZURE_TENANT_ID/AZURE_CLIENT_ID set.

    .EXAMPLE
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenantId -ClientId $clientId -FederatedTokenFile /var/run/secrets/azure/tokens/azure-identity-token

        Workload identity with the token file named explicitly.

    .EXAMPLE
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenantId -ClientId $clientId -ClientAssertion { Get-PipelineOidcToken }

        Federation with any identity provider: the script block is run for each token.

    .EXAMPLE
        Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -Scope 'https://graph.microsoft.com/User.Read.All'
        Invoke-RestMethod -Uri https://graph.microsoft.com/v1.0/users -Headers @{ Authorization = $global:MicrosoftEntraIDAccessToken }

        An admin at a prompt: the host shows "To sign in, use a web browser to open the page
        https://microsoft.com/devicelogin and enter the code ... to authenticate."; the token follows the sign-in.

    .EXAMPLE
        $token = Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -TenantId contoso.onmicrosoft.com -ClientId $publicClientId
        Get-MicrosoftEntraIDApplicationAccessToken -TenantId contoso.onmicrosoft.com -ClientId $publicClientId -RefreshToken $token.RefreshToken

        Your own public client app; the refresh token of the sign-in renews the token later (in this session the
        cache does that by itself).

    .EXAMPLE
        Get-MicrosoftEntraIDApplicationAccessToken -Interactive -Scope https://graph.microsoft.com/User.Read.All

        An admin at a workstation: the browser opens the sign-in page; in hardened tenants that block the device code
        flow, this is the way. Then the header (or token) of the signed-in user, with Graph's User.Read.All.

    .EXAMPLE
        Get-MicrosoftEntraIDApplicationAccessToken -Interactive -TenantId contoso.onmicrosoft.com -Scope https://management.azure.com -LoginHint admin@contoso.onmicrosoft.com

        Azure Resource Manager as the signed-in admin, with Azure PowerShell's client.

    .OUTPUTS
        EntraAuth.AccessToken. Converts to the access token string; shows only its expiry, audience and roles.
    #>
    [CmdletBinding(DefaultParameterSetName = 'ClientSecret')]
    [OutputType('EntraAuth.AccessToken')]
    # <generated:parameters> from build/generate/cmdletParameters.mjs by "npm run generate": edit there
    param(
        # Directory (tenant) ID GUID, or a verified domain such as contoso.onmicrosoft.com. Not needed with
        # -ManagedIdentity; with -WorkloadIdentity it defaults to AZURE_TENANT_ID; with -Interactive and -DeviceCode it
        # defaults to 'organizations' (the user's home tenant; 'common' also allows personal accounts).
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ClientSecret')]
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Credential')]
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'CertificatePath')]
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'CertificateThumbprint')]
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Certificate')]
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ClientAssertion')]
        [Parameter(ParameterSetName = 'FederatedTokenFile')]
        [Parameter(ParameterSetName = 'WorkloadIdentity')]
        [Parameter(ParameterSetName = 'ManagedIdentity')]
        [Parameter(Position = 0, ParameterSetName = 'DeviceCode')]
        [Parameter(Position = 0, ParameterSetName = 'Interactive')]
        [string] $TenantId,

        # Application (client) ID of the app registration. Needed for client secrets, certificates and refresh tokens.
        # With -Interactive and -DeviceCode it defaults, for Microsoft Graph scopes, to the Microsoft Graph Command Line
        # Tools client 14d82eec-204b-4c2f-b7e8-296a70dab67e (as Connect-MgGraph), and for other resources (Azure
        # Resource Manager, Key Vault) to Azure PowerShell's 1950a258-227b-4e31-a9cf-717495945fc2 (as
        # Connect-AzAccount). Your own app needs 'Allow public client flows' set to Yes, and for -Interactive the
        # redirect URI http://localhost.
        [Parameter(Position = 1, ParameterSetName = 'ClientSecret')]
        [Parameter(Mandatory, Position = 1, ParameterSetName = 'CertificatePath')]
        [Parameter(Mandatory, Position = 1, ParameterSetName = 'CertificateThumbprint')]
        [Parameter(Mandatory, Position = 1, ParameterSetName = 'Certificate')]
        [Parameter(Mandatory, Position = 1, ParameterSetName = 'ClientAssertion')]
        [Parameter(ParameterSetName = 'FederatedTokenFile')]
        [Parameter(ParameterSetName = 'WorkloadIdentity')]
        [Parameter(ParameterSetName = 'ManagedIdentity')]
        [Parameter(Position = 1, ParameterSetName = 'DeviceCode')]
        [Parameter(Position = 1, ParameterSetName = 'Interactive')]
        [string] $ClientId,

        # The client secret's Value (not its Secret ID), as a string or a SecureString.
        [Parameter(Position = 2, ParameterSetName = 'ClientSecret')]
        [object] $ClientSecret,

        # A refresh token from an earlier delegated sign-in, as a string or a SecureString. Needs -ClientId: the client
        # the token was issued to. Pass -ClientSecret too when that client is confidential.
        [Parameter(Position = 3, ParameterSetName = 'ClientSecret')]
        [Parameter(ParameterSetName = 'Credential')]
        [object] $RefreshToken,

        # A PSCredential whose user name is the client id and whose password is the client secret, as an Azure
        # Automation credential asset (Get-AutomationPSCredential) gives it.
        [Parameter(Mandatory, ParameterSetName = 'Credential')]
        [System.Management.Automation.PSCredential] $Credential,

        # A PFX/P12 file with the certificate and its private key (with -CertificatePassword), or a PEM file with the
        # certificate (and its chain) and the private key: PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 (BEGIN RSA PRIVATE KEY) or
        # encrypted (BEGIN ENCRYPTED PRIVATE KEY, or OpenSSL's Proc-Type form, with -CertificatePassword). Relative
        # paths start at the current location.
        [Parameter(Mandatory, ParameterSetName = 'CertificatePath')]
        [string] $CertificatePath,

        # The password of the PFX file or of the encrypted PEM key, as a string or a SecureString.
        [Parameter(ParameterSetName = 'CertificatePath')]
        [object] $CertificatePassword,

        # The SHA-1 thumbprint of a certificate with its private key in Cert:\CurrentUser\My or, if not there,
        # Cert:\LocalMachine\My (on Linux and macOS: .NET's certificate stores of those names).
        [Parameter(Mandatory, ParameterSetName = 'CertificateThumbprint')]
        [string] $CertificateThumbprint,

        # An X509Certificate2 with its private key, as Get-AutomationCertificate or Get-Item
        # Cert:\CurrentUser\My\<thumbprint> return it.
        [Parameter(Mandatory, ParameterSetName = 'Certificate')]
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,

        # Adds the certificate and the issuers found for it (x5c) to the assertion, for apps that trust a certificate by
        # subject name and issuer instead of by its uploaded public key.
        [Parameter(ParameterSetName = 'CertificatePath')]
        [Parameter(ParameterSetName = 'CertificateThumbprint')]
        [Parameter(ParameterSetName = 'Certificate')]
        [switch] $SendCertificateChain,

        # RS256 (default; RSASSA-PKCS1-v1_5) or PS256 (RSASSA-PSS) for the client assertion.
        [Parameter(ParameterSetName = 'CertificatePath')]
        [Parameter(ParameterSetName = 'CertificateThumbprint')]
        [Parameter(ParameterSetName = 'Certificate')]
        [ValidateSet('RS256', 'PS256')]
        [string] $SigningAlgorithm,

        # Uses the managed identity of the Azure resource this runs on (VM, scale set, App Service, Functions,
        # Automation, Arc, Cloud Shell, Service Fabric); no tenant or secret needed. System-assigned by default; a
        # user-assigned one with -ClientId, -ManagedIdentityObjectId or -ManagedIdentityResourceId.
        [Parameter(Mandatory, ParameterSetName = 'ManagedIdentity')]
        [switch] $ManagedIdentity,

        # Object (principal) id of a user-assigned managed identity (IMDS and App Service/Automation only).
        [Parameter(ParameterSetName = 'ManagedIdentity')]
        [string] $ManagedIdentityObjectId,

        # Azure resource id of a user-assigned managed identity (IMDS and App Service/Automation only).
        [Parameter(ParameterSetName = 'ManagedIdentity')]
        [string] $ManagedIdentityResourceId,

        # Exchanges a token of another identity provider for an Entra token (workload identity federation): the file in
        # AZURE_FEDERATED_TOKEN_FILE (Kubernetes), else the GitHub Actions OIDC token. Tenant and client come from
        # -TenantId and -ClientId, else AZURE_TENANT_ID and AZURE_CLIENT_ID.
        [Parameter(Mandatory, ParameterSetName = 'WorkloadIdentity')]
        [switch] $WorkloadIdentity,

        # A file holding the federated token to exchange (workload identity); read anew for each token.
        [Parameter(Mandatory, ParameterSetName = 'FederatedTokenFile')]
        [string] $FederatedTokenFile,

        # A federated token (JWT) to exchange: a string, a SecureString, or a script block that returns one, run anew
        # for each token.
        [Parameter(Mandatory, ParameterSetName = 'ClientAssertion')]
        [object] $ClientAssertion,

        # Signs a user in with a device code (delegated permissions): the host shows where to go and which code to
        # enter, while EntraAuth polls Entra until the user has signed in, declined, or the code expired (15 minutes).
        # Ctrl+C stops it at once. offline_access is added to -Scope, so the refresh token stays in the session cache
        # and renews the token silently; the returned object has it in RefreshToken (SecureString), for -RefreshToken
        # later with the same -ClientId.
        [Parameter(Mandatory, ParameterSetName = 'DeviceCode')]
        [switch] $DeviceCode,

        # Signs a user in with the system browser (authorization code with PKCE): the sign-in page of the chosen cloud
        # opens, and EntraAuth takes the answer on http://localhost:<free port>/ (127.0.0.1 and ::1), once, then closes
        # the port. A wrong state, a declined sign-in, -TimeoutSec (default 300) and Ctrl+C end it with the port closed.
        # The refresh token stays in the session cache. ENTRAAUTH_BROWSER names another program to open the page with.
        # Where no browser can open (SSH, remote PowerShell, Azure Automation, no display) it says so: use -DeviceCode.
        [Parameter(Mandatory, ParameterSetName = 'Interactive')]
        [switch] $Interactive,

        # With -Interactive: the account to sign in (user@contoso.com), filled in on the sign-in page.
        [Parameter(ParameterSetName = 'Interactive')]
        [string] $LoginHint,

        # With -Interactive: select_account (choose an account), login (enter the credentials again) or consent (show
        # the consent page again), as MSAL's prompt.
        [Parameter(ParameterSetName = 'Interactive')]
        [ValidateSet('select_account', 'login', 'consent')]
        [string] $Prompt,

        # Scopes to ask for. Default: Microsoft Graph of the chosen cloud (https://graph.microsoft.com/.default). A bare
        # resource such as https://management.azure.com becomes https://management.azure.com/.default.
        [string[]] $Scope,

        # The cloud: Global (default), USGov or China. Sets the login host and the default Graph scope.
        [ValidateSet('Global', 'USGov', 'China')]
        [string] $Environment,

        # The login host, e.g. https://login.microsoftonline.us. Default: -Environment, else the AZURE_AUTHORITY_HOST
        # environment variable, else https://login.microsoftonline.com.
        [uri] $AuthorityHost,

        # Most seconds to spend on the token, retries included (1 to 3600, default 60; with -DeviceCode 900, the time
        # the user has to sign in).
        [ValidateRange(1, 3600)]
        [int] $TimeoutSec,

        # Gets a new token even while the session cache holds a valid one (with -DeviceCode: a new sign-in), and caches
        # that one instead.
        [switch] $Force,

        # The proxy for the token requests, e.g. http://proxy.contoso.com:8080 (credentials, if it wants them:
        # http://user:password@proxy.contoso.com:8080). Stronger than ENTRAAUTH_PROXY, HTTPS_PROXY and the system proxy
        # (Windows' proxy settings, which are used when none of these is set). Managed identity endpoints and loopback
        # hosts never go through a proxy.
        [uri] $Proxy
    )
    # </generated:parameters>

    # Inquire (5.1's -Debug, or inherited) would prompt at every debug line, and fail where no one can answer. Only
    # then is the function called: every call, the cached ones too, runs this line.
    if ($DebugPreference -eq 'Inquire') { $DebugPreference = Get-EntraAuthDebugPreference -Preference $DebugPreference }
    # A call the session cache cannot answer starts the core first: it boots while PowerShell works.
    if ($Force -or $script:EntraAuthTokenCache.Count -eq 0) { Start-EntraAuthCoreEarly }
    # A call bound as an earlier one whose token is cached and fresh takes the fast path (cache/CachedCall.ps1).
    $entry = $null
    if (-not $Force) { $entry = Find-EntraAuthCachedEntry $PSCmdlet.ParameterSetName $PSBoundParameters }
    if ($null -eq $entry) { $entry = Get-EntraAuthToken -Cmdlet $PSCmdlet -Parameters $PSBoundParameters -Force:$Force }
    $token = $entry.Token
    $global:MicrosoftEntraIDAccessToken = $entry.Value
    Register-EntraAuthRenewingGlobals -Entry $entry
    # The seed's line. Named (-Object): binding it positionally costs more, the record is the same.
    Write-Host -Object 'Authorization successful! Token saved in variable.'
    $token
}
