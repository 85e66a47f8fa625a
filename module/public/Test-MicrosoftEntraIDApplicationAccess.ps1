function Test-MicrosoftEntraIDApplicationAccess {
    <#
    .SYNOPSIS
        Finds why a token will fail, or will not work, before and after asking Entra: one object per check (Name,
        Status Pass/Warn/Fail/Skip, Detail, Fix), shown as a checklist.

    .DESCRIPTION
        Takes the credential parameters of Get-MicrosoftEntraIDApplicationAccessToken and checks, in this order:
        the inputs before anything is sent (tenant form and cloud, client id, a client secret that is a Secret ID,
        scopes); the certificate (found with its private key, key size, expiry, the thumbprint Entra matches);
        the login host (which CA signed its TLS certificate, naming a TLS-inspecting proxy, the proxy in use, the
        tenant's discovery document, this machine's clock against the host's Date header); the managed identity
        source and identity, or the federated token's issuer, subject and audience (decoded here); one real token
        request and what the token holds (audience, roles or scopes, expiry; an app-only token without roles fails
        with the admin consent URL); and with -Uri one GET with the token, a 401 or 403 explained from its claims.
        A check that does not apply is skipped with the reason in Detail. The token stays in the EntraAuth core:
        it is neither returned nor cached, and no secret appears in any check. docs/diagnostics.md lists the checks
        and their fixes. Device code and browser sign-ins are not diagnosed (nobody may be there to sign in).

    .PARAMETER Uri
        A URI of the resource to call once with the token (GET), e.g. https://graph.microsoft.com/v1.0/users?$top=1.

    .PARAMETER Quiet
        Returns only $true when no check fails (warnings allowed), else $false.

    .EXAMPLE
        Test-MicrosoftEntraIDApplicationAccess -TenantId $tenantId -ClientId $clientId -ClientSecret $clientSecret

        The checklist for a client secret app.

    .EXAMPLE
        if (-not (Test-MicrosoftEntraIDApplicationAccess -ManagedIdentity -Scope https://management.azure.com -Quiet)) {
        throw 'The managed identity cannot get a token here.' }

        A runbook's preflight.

    .EXAMPLE
        Test-MicrosoftEntraIDApplicationAccess -TenantId $tenantId -ClientId $clientId -CertificateThumbprint
        $thumbprint -Uri 'https://graph.microsoft.com/v1.0/users?$top=1'

        A certificate app, and whether Graph takes its token.

    .OUTPUTS
        EntraAuth.DiagnosticCheck, or System.Boolean with -Quiet.
    #>
    [CmdletBinding(DefaultParameterSetName = 'ClientSecret')]
    [OutputType('EntraAuth.DiagnosticCheck')]
    [OutputType([bool])]
    param(
        # shared credential parameters: begin

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

        # The proxy for the token requests, e.g. http://proxy.contoso.com:8080 (credentials, if it wants them:
        # http://user:password@proxy.contoso.com:8080). Stronger than ENTRAAUTH_PROXY, HTTPS_PROXY and the system proxy
        # (Windows' proxy settings, which are used when none of these is set). Managed identity endpoints and loopback
        # hosts never go through a proxy.
        [uri] $Proxy,

        # shared credential parameters: end

        [uri] $Uri,

        [switch] $Quiet
    )

    # Inquire (5.1's -Debug, or inherited) would prompt at every debug line, and fail where no one can answer.
    $DebugPreference = Get-EntraAuthDebugPreference -Preference $DebugPreference
    $diagnostics = @{
        SetName      = $PSCmdlet.ParameterSetName
        Parameters   = $PSBoundParameters
        SessionState = $PSCmdlet.SessionState
        Uri          = $Uri
    }
    $checks = @(Invoke-EntraAuthDiagnostics @diagnostics)
    if ($Quiet) { return (@($checks | Where-Object Status -EQ 'Fail').Count -eq 0) }
    $checks
}
