function Build-MicrosoftEntraIDApplicationAccessHeader {
    <#
    .SYNOPSIS
        Gets a Microsoft Entra ID access token and returns it as an authorization header, saved in
        $global:MicrosoftEntraIDHeader and $global:MicrosoftEntraIDAccessToken.

    .DESCRIPTION
        Drop-in replacement for the function of the same name from the LNC Docs page: same parameters,
        same positions, same global variables. It asks Entra's v2.0 token endpoint for a token with the
        client credentials grant (client secret) or the refresh token grant, and never loops: only 429,
        5xx and network failures are retried, at most 3 tries within -TimeoutSec.

        The returned hashtable @{ Authorization = "Bearer …" } works with Invoke-RestMethod -Headers and
        shows as redacted in the console and in transcripts. Failures are terminating errors with the id
        EntraAuth.<code>, Entra's AADSTS code, its trace and correlation ids, and what to fix.

    .PARAMETER TenantId
        Directory (tenant) ID GUID, or a verified domain such as contoso.onmicrosoft.com.

    .PARAMETER ClientId
        Application (client) ID of the app registration. Needed for client secrets and refresh tokens.

    .PARAMETER ClientSecret
        The client secret's Value (not its Secret ID), as a string or a SecureString.

    .PARAMETER RefreshToken
        A refresh token from an earlier delegated sign-in, as a string or a SecureString. Needs -ClientId:
        the client the token was issued to. Pass -ClientSecret too when that client is confidential.

    .PARAMETER Credential
        A PSCredential whose user name is the client id and whose password is the client secret, as an
        Azure Automation credential asset (Get-AutomationPSCredential) gives it.

    .PARAMETER Scope
        Scopes to ask for. Default: Microsoft Graph of the chosen cloud (https://graph.microsoft.com/.default).
        A bare resource such as https://management.azure.com becomes https://management.azure.com/.default.

    .PARAMETER Environment
        The cloud: Global (default), USGov or China. Sets the login host and the default Graph scope.

    .PARAMETER AuthorityHost
        The login host, e.g. https://login.microsoftonline.us. Default: -Environment, else the
        AZURE_AUTHORITY_HOST environment variable, else https://login.microsoftonline.com.

    .PARAMETER TimeoutSec
        Most seconds to spend on the token, retries included (1 to 3600, default 60).

    .EXAMPLE
        Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $clientSecret
        Invoke-RestMethod -Uri https://graph.microsoft.com/v1.0/users -Headers $global:MicrosoftEntraIDHeader

        The seed page's call, unchanged.

    .EXAMPLE
        $headers = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $tenantId -Credential (Get-AutomationPSCredential -Name 'GraphApp')
        Invoke-RestMethod -Uri https://graph.microsoft.com/v1.0/groups -Headers $headers

        An Azure Automation runbook with a credential asset.

    .EXAMPLE
        Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $tenantId -ClientId $publicClientId -RefreshToken $refreshToken

        Renews a delegated header from a refresh token; Entra needs the client id the token was issued to.

    .OUTPUTS
        System.Collections.Hashtable. @{ Authorization = '<type> <token>' }, displayed redacted.
    #>
    [CmdletBinding(DefaultParameterSetName = 'ClientSecret')]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string] $TenantId,

        [Parameter(Position = 1, ParameterSetName = 'ClientSecret')]
        [string] $ClientId,

        [Parameter(Position = 2, ParameterSetName = 'ClientSecret')]
        [object] $ClientSecret,

        [Parameter(Position = 3, ParameterSetName = 'ClientSecret')]
        [Parameter(ParameterSetName = 'Credential')]
        [object] $RefreshToken,

        [Parameter(Mandatory, ParameterSetName = 'Credential')]
        [System.Management.Automation.PSCredential] $Credential,

        [string[]] $Scope,

        [ValidateSet('Global', 'USGov', 'China')]
        [string] $Environment,

        [uri] $AuthorityHost,

        [ValidateRange(1, 3600)]
        [int] $TimeoutSec
    )

    $token = Get-EntraAuthToken -Cmdlet $PSCmdlet -Parameters $PSBoundParameters
    $global:MicrosoftEntraIDAccessToken = "$($token.TokenType) $token"
    $global:MicrosoftEntraIDHeader = New-EntraAuthHeader -Value $global:MicrosoftEntraIDAccessToken -ExpiresOn $token.ExpiresOn
    Write-Host 'Authorization successful! Token saved in variable.'
    $global:MicrosoftEntraIDHeader
}
