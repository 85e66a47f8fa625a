# The token object the cmdlets return.

function ConvertTo-EntraAuthTokenObject {
    # The token as PowerShell returns it: displays redacted, converts to the access token as a string.
    param([Parameter(Mandatory)] [object] $Token, [string] $TenantId, [string] $ClientId)

    $accessToken = [string]$Token.accessToken
    $claims = $Token.claims
    # The core's times, moved onto the module's clock (the same unless a test moved it).
    $styles = [System.Globalization.DateTimeStyles]
    $utc = $styles::AdjustToUniversal -bor $styles::AssumeUniversal
    $expiresOn = [datetime]::Parse($Token.expiresOn, [cultureinfo]::InvariantCulture, $utc)
    $expiresOn = $expiresOn.Add($script:EntraAuthClockOffset)
    $issuedOn = $expiresOn.AddSeconds(-[double]$Token.expiresIn)
    $result = [pscustomobject]@{
        PSTypeName   = 'EntraAuth.AccessToken'
        TokenType    = [string]$Token.tokenType
        ExpiresOn    = $expiresOn
        Audience     = if ($null -ne $claims) { [string]$claims.aud } else { $null }
        Roles        = if ($null -ne $claims -and $null -ne $claims.roles) { [string[]]$claims.roles } else { @() }
        Scope        = if ($Token.scope) { [string]$Token.scope }
        elseif ($null -ne $claims -and $claims.scp) { [string]$claims.scp }
        else { $null }
        TenantId     = $TenantId
        ClientId     = $ClientId
        RefreshToken = if ($Token.refreshToken) { ConvertTo-EntraAuthSecureString -Value ([string]$Token.refreshToken) }
        else { $null }
        # Entra's refresh_in hint (long-lived tokens): the cache renews from then on.
        RefreshOn    = if ($Token.refreshIn) { $issuedOn.AddSeconds([double]$Token.refreshIn) } else { $null }
        # When the core asked for it: the renewal rule counts half the lifetime from here.
        IssuedOn     = $issuedOn
    }
    # "Bearer $token" and [string]$token give the access token; displays use the redacting view.
    $toString = { $accessToken }.GetNewClosure()
    Add-Member -InputObject $result -MemberType ScriptMethod -Name ToString -Value $toString -Force
    $result
}
