# When a cached token is renewed, on the module's clock (a test may move it).

$script:EntraAuthDefaultRefreshMarginSec = 300
# The module's clock is [DateTime]::UtcNow plus this offset: zero, except in end-to-end tests, which move it instead of
# waiting (times from the core are moved along in ConvertTo-EntraAuthTokenObject).
$script:EntraAuthClockOffset = [TimeSpan]::Zero

function Get-EntraAuthNow {
    # The module's clock (UTC), which every token time is compared with: unit tests mock it, end-to-end tests move it.
    # A plain function: the renewing globals' breakpoint asks it at every read. The waits on the core
    # (Invoke-EntraAuthCore's deadline) keep the real clock: they bound real time.
    [DateTime]::UtcNow.Add($script:EntraAuthClockOffset)
}

function Get-EntraAuthRefreshMargin {
    <#
    .SYNOPSIS
        Seconds before expiry at which a token counts as expired: $EntraAuthRefreshMarginSec, else 300 (MSAL's renewal offset).
    #>
    [CmdletBinding()]
    [OutputType([double])]
    param()
    $value = $global:EntraAuthRefreshMarginSec
    if ($null -eq $value) { return [double]$script:EntraAuthDefaultRefreshMarginSec }
    $seconds = 0.0
    if (-not [double]::TryParse([string]$value, [System.Globalization.NumberStyles]::Float, [cultureinfo]::InvariantCulture, [ref]$seconds) -or $seconds -lt 0 -or $seconds -gt 3600) {
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "`$EntraAuthRefreshMarginSec is '$value', not a number of seconds from 0 to 3600." -Hint 'Set it to the seconds before expiry at which a token is renewed (default 300), or remove it: Remove-Variable EntraAuthRefreshMarginSec -Scope Global.')
    }
    $seconds
}

function Get-EntraAuthRenewTime {
    <#
    .SYNOPSIS
        The one rule for when a token is renewed, for the cache and the renewing globals alike: the margin before
        expiry, or Entra's refresh_in if that comes first, but never before half the token's lifetime has passed.
    .DESCRIPTION
        The floor keeps a token that lives less than the margin (or a margin set above the lifetime) from being renewed
        at every use: a token of L seconds is asked for at most once per L/2 seconds, and is renewed before it expires.
        MSAL renews at half the lifetime too (refresh_in for tokens of more than 2 hours). The core has already refused
        lifetimes that are not 5 s to 7 days (src/oauth/tokenLifetime.ts), so no credential is renewed more than once
        per 2.5 s, whatever an endpoint or a clock says.
    #>
    param([Parameter(Mandatory)] [hashtable] $Entry, [Parameter(Mandatory)] [double] $MarginSec)
    $token = $Entry.Token
    $renew = $token.ExpiresOn.AddSeconds(-$MarginSec)
    if ($null -ne $Entry.RefreshOn -and $Entry.RefreshOn -lt $renew) { $renew = $Entry.RefreshOn }
    $floor = $token.IssuedOn.AddTicks([long](($token.ExpiresOn - $token.IssuedOn).Ticks / 2))
    if ($renew -lt $floor) { $renew = $floor }
    $renew
}
