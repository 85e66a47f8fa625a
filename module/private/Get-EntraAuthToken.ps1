# What both public cmdlets share: turn their parameters into a core request and the answer into a token object.

function ConvertTo-EntraAuthTokenObject {
    # The token as PowerShell returns it: displays redacted, converts to the access token as a string.
    param([Parameter(Mandatory)] [object] $Token, [string] $TenantId, [string] $ClientId)

    $accessToken = [string]$Token.accessToken
    $claims = $Token.claims
    $result = [pscustomobject]@{
        PSTypeName   = 'EntraAuth.AccessToken'
        TokenType    = [string]$Token.tokenType
        ExpiresOn    = [datetime]::Parse($Token.expiresOn, [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal)
        Audience     = if ($null -ne $claims) { [string]$claims.aud } else { $null }
        Roles        = if ($null -ne $claims -and $null -ne $claims.roles) { [string[]]$claims.roles } else { @() }
        Scope        = if ($Token.scope) { [string]$Token.scope } elseif ($null -ne $claims -and $claims.scp) { [string]$claims.scp } else { $null }
        TenantId     = $TenantId
        ClientId     = $ClientId
        RefreshToken = if ($Token.refreshToken) { ConvertTo-SecureString -String ([string]$Token.refreshToken) -AsPlainText -Force } else { $null }
    }
    # "Bearer $token" and [string]$token give the access token; displays use the redacting view.
    $result | Add-Member -MemberType ScriptMethod -Name ToString -Value { $accessToken }.GetNewClosure() -Force
    $result
}

function Get-EntraAuthSecretValue {
    # A secret parameter as the core takes it: a string or SecureString as it is; a script block is run now
    # (for -ClientAssertion, anew for each token) and must return one of those.
    param([Parameter(Mandatory)] [string] $Name, [object] $Value)
    if ($Value -is [scriptblock]) {
        $Value = @(& $Value) | Select-Object -Last 1
        if ($null -eq $Value) {
            throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "The script block of -$Name returned nothing." -Hint "Make the script block return the token as a string, e.g. { Get-Content -Raw /var/run/secrets/token }.")
        }
    }
    if ($null -ne $Value -and -not ($Value -is [string] -or $Value -is [securestring])) {
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "-$Name must be a string or a SecureString, not $($Value.GetType().FullName)." -Hint "Pass the $Name as text or as the SecureString that Read-Host -AsSecureString or Get-AutomationPSCredential gives.")
    }
    $Value
}

function Test-EntraAuthValue {
    # True for a non-empty string or any SecureString.
    param([object] $Value)
    $null -ne $Value -and ($Value -is [securestring] -or [string]$Value -ne '')
}

function Set-EntraAuthSecretFlow {
    # The client secret and refresh token sets: which grant the seed's parameters ask for.
    param([Parameter(Mandatory)] [hashtable] $Request, [Parameter(Mandatory)] [hashtable] $Parameters)
    $secret = Get-EntraAuthSecretValue -Name 'ClientSecret' -Value $Parameters['ClientSecret']
    if ($Parameters.ContainsKey('Credential')) {
        $Request.clientId = $Parameters['Credential'].UserName
        $secret = $Parameters['Credential'].Password
    }
    $refreshToken = Get-EntraAuthSecretValue -Name 'RefreshToken' -Value $Parameters['RefreshToken']
    if (Test-EntraAuthValue $refreshToken) {
        $Request.flow = 'refreshToken'
        $Request.refreshToken = $refreshToken
        if (Test-EntraAuthValue $secret) { $Request.clientSecret = $secret }
    }
    elseif (Test-EntraAuthValue $secret) {
        $Request.flow = 'clientSecret'
        $Request.clientSecret = $secret
    }
    else {
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message 'Not enough information to get a token: no client secret, credential or refresh token was given.' -Hint 'Pass -ClientId and -ClientSecret (or -Credential) for an app-only token, -ClientId and -RefreshToken to renew a delegated one, or -ManagedIdentity in Azure.')
    }
}

function Get-EntraAuthToken {
    <#
    .SYNOPSIS
        Gets a token for the bound parameters of a public cmdlet; throws a terminating error on failure.
    .PARAMETER Cmdlet
        The public cmdlet: its parameter set names the flow, and it throws the terminating error.
    .PARAMETER Parameters
        Its bound parameters.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [hashtable] $Parameters
    )

    try {
        $request = @{ protocolVersion = 1; tenantId = [string]$Parameters['TenantId'] }
        if ($Parameters['ClientId']) { $request.clientId = [string]$Parameters['ClientId'] }
        if ($Parameters.ContainsKey('Scope')) { $request.scopes = @($Parameters['Scope']) }
        if ($Parameters.ContainsKey('Environment')) { $request.environment = [string]$Parameters['Environment'] }
        if ($Parameters.ContainsKey('AuthorityHost')) { $request.authorityHost = $Parameters['AuthorityHost'].OriginalString }
        $timeoutSec = 60
        if ($Parameters.ContainsKey('TimeoutSec')) { $timeoutSec = [int]$Parameters['TimeoutSec'] }
        $request.timeoutSec = $timeoutSec
        $request.logLevel = if ($DebugPreference -ne 'SilentlyContinue') { 'debug' } elseif ($VerbosePreference -ne 'SilentlyContinue') { 'verbose' } else { 'info' }

        $setName = $Cmdlet.ParameterSetName
        switch -Wildcard ($setName) {
            'Certificate*' { $token = Invoke-EntraAuthCertificateFlow -Request $request -Parameters $Parameters -TimeoutSec $timeoutSec }
            'ManagedIdentity' {
                $request.flow = 'managedIdentity'
                if ($Parameters['ManagedIdentityObjectId']) { $request.managedIdentityObjectId = [string]$Parameters['ManagedIdentityObjectId'] }
                if ($Parameters['ManagedIdentityResourceId']) { $request.managedIdentityResourceId = [string]$Parameters['ManagedIdentityResourceId'] }
            }
            'WorkloadIdentity' { $request.flow = 'workloadIdentity' }
            'FederatedTokenFile' {
                $request.flow = 'workloadIdentity'
                # The core runs in another working directory: give it the path PowerShell means.
                $request.federatedTokenFile = $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath([string]$Parameters['FederatedTokenFile'])
            }
            'ClientAssertion' {
                $request.flow = 'workloadIdentity'
                $request.clientAssertion = Get-EntraAuthSecretValue -Name 'ClientAssertion' -Value $Parameters['ClientAssertion']
            }
            default { Set-EntraAuthSecretFlow -Request $request -Parameters $Parameters }
        }
        if ($setName -notlike 'Certificate*') { $token = Invoke-EntraAuthCore -Request $request -TimeoutSec $timeoutSec }

        # Managed identities are known by the token's claims; otherwise by what was asked.
        $tenantId = $request.tenantId
        $clientId = $request.clientId
        if ($null -ne $token.claims) {
            if ($token.claims.tid) { $tenantId = [string]$token.claims.tid }
            if ($token.claims.appid) { $clientId = [string]$token.claims.appid }
        }
        ConvertTo-EntraAuthTokenObject -Token $token -TenantId $tenantId -ClientId $clientId
    }
    catch [System.Management.Automation.PipelineStoppedException] {
        throw
    }
    catch {
        $record = $_
        if ($record.FullyQualifiedErrorId -notlike 'EntraAuth.*') {
            $record = New-EntraAuthErrorRecord -Code 'ERR_INTERNAL' -Message "EntraAuth failed unexpectedly: $($record.Exception.Message)" -Hint 'Run again with -Debug and report the issue.'
        }
        $Cmdlet.ThrowTerminatingError($record)
    }
}
