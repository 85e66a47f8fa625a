# The unit layer's stand-in for the core and the clock: what the mocks of Invoke-EntraAuthCore and Get-EntraAuthNow
# answer. No test here starts a core, opens a socket or waits in real time.

$script:FakeNow = [datetime]::new(2026, 1, 1, 12, 0, 0, [DateTimeKind]::Utc)

function Get-FakeNow {
    # The fixed time the mocked clock reads (UTC), moved by Move-FakeClock.
    $script:FakeNow
}

function Reset-FakeClock { $script:FakeNow = [datetime]::new(2026, 1, 1, 12, 0, 0, [DateTimeKind]::Utc) }

function Move-FakeClock {
    param([Parameter(Mandatory)] [double] $Seconds)
    $script:FakeNow = $script:FakeNow.AddSeconds($Seconds)
}

function New-FakeCoreToken {
    # The token of a success envelope as the core sends it, issued at the fake clock's now.
    param(
        [int] $ExpiresIn = 3600,
        [string] $AccessToken = 'header.payload.signature',
        [string] $RefreshToken,
        [object] $RefreshIn,
        [string] $Audience = 'https://graph.microsoft.com'
    )
    $token = [ordered]@{
        tokenType   = 'Bearer'
        accessToken = $AccessToken
        expiresOn   = $script:FakeNow.AddSeconds($ExpiresIn).ToString('o')
        expiresIn   = $ExpiresIn
        claims      = [pscustomobject]@{ aud = $Audience; roles = @('User.Read.All') }
    }
    if ($RefreshToken) { $token.refreshToken = $RefreshToken }
    if ($null -ne $RefreshIn) { $token.refreshIn = $RefreshIn }
    [pscustomobject]$token
}

function New-FakeCoreTarget {
    # The answer to a resolveTarget request: the login host and the scopes as given (or Graph's default).
    param([hashtable] $Request)
    $scopes = @($Request.scopes | Where-Object { $_ })
    if ($scopes.Count -eq 0) { $scopes = @('https://graph.microsoft.com/.default') }
    [pscustomobject]@{ authorityHost = 'https://login.microsoftonline.com'; scopes = $scopes }
}

Export-ModuleMember -Function Get-FakeNow, Reset-FakeClock, Move-FakeClock, New-FakeCoreToken, New-FakeCoreTarget
