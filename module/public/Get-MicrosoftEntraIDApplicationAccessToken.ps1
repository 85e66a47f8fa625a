function Get-MicrosoftEntraIDApplicationAccessToken {
    <#
    .SYNOPSIS
        Gets a Microsoft Entra ID access token and saves "<type> <token>" in $global:MicrosoftEntraIDAccessToken.

    .DESCRIPTION
        Drop-in replacement for the function of the same name from the LNC Docs page: same parameters,
        same positions, same global variable. It asks Entra's v2.0 token endpoint for a token with the
        client credentials grant (client secret) or the refresh token grant, and never loops: only 429,
        5xx and network failures are retried, at most 3 tries within -TimeoutSec.

        The returned object shows as redacted in the console and in transcripts; "Bearer $token" or
        [string]$token give the access token itself. Failures are terminating errors with the id
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
        Get-MicrosoftEntraIDApplicationAccessToken -tenantid $tenantId -clientid $clientId -clientSecret $clientSecret
        Invoke-RestMethod -Uri https://graph.microsoft.com/v1.0/users -Headers @{ Authorization = $global:MicrosoftEntraIDAccessToken }

        The seed page's call: the token lands in $global:MicrosoftEntraIDAccessToken as "Bearer eyJ…".

    .EXAMPLE
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenantId -Credential (Get-AutomationPSCredential -Name 'GraphApp') -Scope https://management.azure.com
        Invoke-RestMethod -Uri 'https://management.azure.com/subscriptions?api-version=2022-12-01' -Headers @{ Authorization = "Bearer $token" }

        An Azure Automation runbook with a credential asset, asking for an Azure Resource Manager token.

    .EXAMPLE
        Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenantId -ClientId $publicClientId -RefreshToken $refreshToken -Scope 'https://graph.microsoft.com/.default'

        Renews a delegated token from a refresh token.

    .OUTPUTS
        EntraAuth.AccessToken. Converts to the access token string; shows only its expiry, audience and roles.
    #>
    [CmdletBinding(DefaultParameterSetName = 'ClientSecret')]
    [OutputType('EntraAuth.AccessToken')]
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
    Write-Host 'Authorization successful! Token saved in variable.'
    $token
}
