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

function Get-EntraAuthToken {
    <#
    .SYNOPSIS
        Gets a token for the bound parameters of a public cmdlet; throws a terminating error on failure.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [hashtable] $Parameters
    )

    try {
        $request = @{ protocolVersion = 1; tenantId = [string]$Parameters['TenantId'] }
        $clientId = [string]$Parameters['ClientId']
        $secret = $Parameters['ClientSecret']
        if ($Parameters.ContainsKey('Credential')) {
            $clientId = $Parameters['Credential'].UserName
            $secret = $Parameters['Credential'].Password
        }
        foreach ($name in 'ClientSecret', 'RefreshToken') {
            $value = $Parameters[$name]
            if ($null -ne $value -and -not ($value -is [string] -or $value -is [securestring])) {
                throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "-$name must be a string or a SecureString, not $($value.GetType().FullName)." -Hint "Pass the $name as text or as the SecureString that Read-Host -AsSecureString or Get-AutomationPSCredential gives.")
            }
        }
        $refreshToken = $Parameters['RefreshToken']
        $hasSecret = $null -ne $secret -and ($secret -is [securestring] -or $secret -ne '')
        $hasRefreshToken = $null -ne $refreshToken -and ($refreshToken -is [securestring] -or $refreshToken -ne '')
        $hasCertificate = $Parameters.ContainsKey('CertificatePath') -or $Parameters.ContainsKey('CertificateThumbprint') -or $Parameters.ContainsKey('Certificate')

        if ($hasCertificate) {
            # The flow and the certificate fields are set by Invoke-EntraAuthCertificateFlow.
        }
        elseif ($hasRefreshToken) {
            $request.flow = 'refreshToken'
            $request.refreshToken = $refreshToken
            if ($hasSecret) { $request.clientSecret = $secret }
        }
        elseif ($hasSecret) {
            $request.flow = 'clientSecret'
            $request.clientSecret = $secret
        }
        else {
            throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message 'Not enough information to get a token: no client secret, credential or refresh token was given.' -Hint 'Pass -ClientId and -ClientSecret (or -Credential) for an app-only token, or -ClientId and -RefreshToken to renew a delegated one.')
        }
        if ($clientId) { $request.clientId = $clientId }
        if ($Parameters.ContainsKey('Scope')) { $request.scopes = @($Parameters['Scope']) }
        if ($Parameters.ContainsKey('Environment')) { $request.environment = [string]$Parameters['Environment'] }
        if ($Parameters.ContainsKey('AuthorityHost')) { $request.authorityHost = $Parameters['AuthorityHost'].OriginalString }
        $timeoutSec = 60
        if ($Parameters.ContainsKey('TimeoutSec')) { $timeoutSec = [int]$Parameters['TimeoutSec'] }
        $request.timeoutSec = $timeoutSec
        $request.logLevel = if ($DebugPreference -ne 'SilentlyContinue') { 'debug' } elseif ($VerbosePreference -ne 'SilentlyContinue') { 'verbose' } else { 'info' }

        if ($hasCertificate) { $token = Invoke-EntraAuthCertificateFlow -Request $request -Parameters $Parameters -TimeoutSec $timeoutSec }
        else { $token = Invoke-EntraAuthCore -Request $request -TimeoutSec $timeoutSec }
        ConvertTo-EntraAuthTokenObject -Token $token -TenantId $request.tenantId -ClientId $clientId
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
