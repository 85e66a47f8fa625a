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
        if (-not (Test-MicrosoftEntraIDApplicationAccess -ManagedIdentity -Scope https://management.azure.com -Quiet)) { throw 'The managed identity cannot get a token here.' }

        A runbook's preflight.

    .EXAMPLE
        Test-MicrosoftEntraIDApplicationAccess -TenantId $tenantId -ClientId $clientId -CertificateThumbprint $thumbprint -Uri 'https://graph.microsoft.com/v1.0/users?$top=1'

        A certificate app, and whether Graph takes its token.

    .OUTPUTS
        EntraAuth.DiagnosticCheck, or System.Boolean with -Quiet.
    #>
    [CmdletBinding(DefaultParameterSetName = 'ClientSecret')]
    [OutputType('EntraAuth.DiagnosticCheck')]
    [OutputType([bool])]
    param(
        # shared credential parameters: begin
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

        [Parameter(Position = 1, ParameterSetName = 'ClientSecret')]
        [Parameter(Mandatory, Position = 1, ParameterSetName = 'CertificatePath')]
        [Parameter(Mandatory, Position = 1, ParameterSetName = 'CertificateThumbprint')]
        [Parameter(Mandatory, Position = 1, ParameterSetName = 'Certificate')]
        [Parameter(Mandatory, Position = 1, ParameterSetName = 'ClientAssertion')]
        [Parameter(ParameterSetName = 'FederatedTokenFile')]
        [Parameter(ParameterSetName = 'WorkloadIdentity')]
        [Parameter(ParameterSetName = 'ManagedIdentity')]
        [string] $ClientId,

        [Parameter(Position = 2, ParameterSetName = 'ClientSecret')]
        [object] $ClientSecret,

        [Parameter(Position = 3, ParameterSetName = 'ClientSecret')]
        [Parameter(ParameterSetName = 'Credential')]
        [object] $RefreshToken,

        [Parameter(Mandatory, ParameterSetName = 'Credential')]
        [System.Management.Automation.PSCredential] $Credential,

        [Parameter(Mandatory, ParameterSetName = 'CertificatePath')]
        [string] $CertificatePath,

        [Parameter(ParameterSetName = 'CertificatePath')]
        [object] $CertificatePassword,

        [Parameter(Mandatory, ParameterSetName = 'CertificateThumbprint')]
        [string] $CertificateThumbprint,

        [Parameter(Mandatory, ParameterSetName = 'Certificate')]
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,

        [Parameter(ParameterSetName = 'CertificatePath')]
        [Parameter(ParameterSetName = 'CertificateThumbprint')]
        [Parameter(ParameterSetName = 'Certificate')]
        [switch] $SendCertificateChain,

        [Parameter(ParameterSetName = 'CertificatePath')]
        [Parameter(ParameterSetName = 'CertificateThumbprint')]
        [Parameter(ParameterSetName = 'Certificate')]
        [ValidateSet('RS256', 'PS256')]
        [string] $SigningAlgorithm,

        [Parameter(Mandatory, ParameterSetName = 'ManagedIdentity')]
        [switch] $ManagedIdentity,

        [Parameter(ParameterSetName = 'ManagedIdentity')]
        [string] $ManagedIdentityObjectId,

        [Parameter(ParameterSetName = 'ManagedIdentity')]
        [string] $ManagedIdentityResourceId,

        [Parameter(Mandatory, ParameterSetName = 'WorkloadIdentity')]
        [switch] $WorkloadIdentity,

        [Parameter(Mandatory, ParameterSetName = 'FederatedTokenFile')]
        [string] $FederatedTokenFile,

        [Parameter(Mandatory, ParameterSetName = 'ClientAssertion')]
        [object] $ClientAssertion,

        [string[]] $Scope,

        [ValidateSet('Global', 'USGov', 'China')]
        [string] $Environment,

        [uri] $AuthorityHost,

        [ValidateRange(1, 3600)]
        [int] $TimeoutSec,

        [uri] $Proxy,
        # shared credential parameters: end

        [uri] $Uri,

        [switch] $Quiet
    )

    # Inquire (5.1's -Debug, or inherited) would prompt at every debug line, and fail where no one can answer.
    $DebugPreference = Get-EntraAuthDebugPreference -Preference $DebugPreference
    $checks = @(Invoke-EntraAuthDiagnostics -SetName $PSCmdlet.ParameterSetName -Parameters $PSBoundParameters -SessionState $PSCmdlet.SessionState -Uri $Uri)
    if ($Quiet) { return (@($checks | Where-Object Status -EQ 'Fail').Count -eq 0) }
    $checks
}
