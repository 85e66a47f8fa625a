# The session token cache: module-scoped, keyed by flow, tenant, client and the canonical target (login host and scopes,
# as the core resolves them); an entry answers only a call with the same secret or refresh token. Secrets and refresh
# tokens as SecureString. Never written to disk.

# Keys compare exactly (a PowerShell @{} ignores case, which would join two files whose names differ only in case).
$script:EntraAuthTokenCache = [hashtable]::new([System.StringComparer]::Ordinal)
$script:EntraAuthDefaultRefreshMarginSec = 300
# The module's clock is [DateTime]::UtcNow plus this offset: zero, except in tests, which move it instead of waiting
# (times from the core are moved along in ConvertTo-EntraAuthTokenObject).
$script:EntraAuthClockOffset = [TimeSpan]::Zero

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

# What the core said each spelling of a call's scopes and cloud stands for (resolveTarget): asked once per spelling.
$script:EntraAuthTargets = [hashtable]::new([System.StringComparer]::Ordinal)
# File names: case-sensitive on Linux, not on Windows and macOS (their file systems' defaults).
$script:EntraAuthPathsIgnoreCase = -not ($PSVersionTable.PSEdition -eq 'Core' -and $IsLinux)

function Resolve-EntraAuthTarget {
    <#
    .SYNOPSIS
        The canonical target of a call's -Scope, -Environment and -AuthorityHost (and AZURE_AUTHORITY_HOST), as the
        core resolves it: '<login host> <scopes>', so every spelling of one token shares one cache entry.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [hashtable] $Parameters)
    $spelling = "$(@($Parameters['Scope']) -join "`n")|$($Parameters['Environment'])|$($Parameters['AuthorityHost'])|$env:AZURE_AUTHORITY_HOST"
    $known = $script:EntraAuthTargets[$spelling]
    if ($null -ne $known) { return $known }
    $request = @{ protocolVersion = 1; flow = 'resolveTarget'; tenantId = ''; logLevel = 'info' }
    if ($Parameters.ContainsKey('Scope')) { $request.scopes = @($Parameters['Scope']) }
    if ($Parameters.ContainsKey('Environment')) { $request.environment = [string]$Parameters['Environment'] }
    if ($Parameters.ContainsKey('AuthorityHost')) { $request.authorityHost = ([uri]$Parameters['AuthorityHost']).OriginalString }
    $target = Invoke-EntraAuthCore -Request $request -TimeoutSec 10
    # Scopes are compared without case and order, as Entra does.
    $scopes = [System.Collections.Generic.SortedSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($scope in @($target.scopes)) { [void]$scopes.Add(([string]$scope).ToLowerInvariant()) }
    $resolved = "$([string]$target.authorityHost) $(@($scopes) -join ' ')"
    $script:EntraAuthTargets[$spelling] = $resolved
    $resolved
}

function Get-EntraAuthCacheKey {
    <#
    .SYNOPSIS
        The cache key of a recipe: flow, tenant, client, the canonical target (login host and scopes, from the core),
        and where a credential comes from (file, store, certificate, identity source) but never a secret:
        Test-EntraAuthSameCredential compares those. Ids compare without case; file paths as the file system does.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [hashtable] $Recipe)
    $p = $Recipe.Parameters
    $path = $null
    $source = switch ($Recipe.Flow) {
        'credential' { ([string]$p['Credential'].UserName).ToLowerInvariant() }
        'certificatePath' { $path = [string]$p['CertificatePath'] }
        'certificateThumbprint' { ($p['CertificateThumbprint'] -replace '[^0-9A-Fa-f]', '').ToLowerInvariant() }
        'certificate' { ([string]$p['Certificate'].Thumbprint).ToLowerInvariant() }
        'federatedTokenFile' { $path = [string]$p['FederatedTokenFile'] }
        'managedIdentity' { "$($p['ManagedIdentityObjectId'])/$($p['ManagedIdentityResourceId'])".ToLowerInvariant() }
        'interactive' { ([string]$p['LoginHint']).ToLowerInvariant() }
        default { '' }
    }
    if ($null -ne $path) { $source = if ($script:EntraAuthPathsIgnoreCase) { $path.ToLowerInvariant() } else { $path } }
    # Where a managed or workload identity comes from is in the environment: another source, another token.
    if ($Recipe.Flow -in 'managedIdentity', 'workloadIdentity', 'federatedTokenFile', 'clientAssertion') {
        foreach ($name in 'IDENTITY_ENDPOINT', 'MSI_ENDPOINT', 'IMDS_ENDPOINT', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'ACTIONS_ID_TOKEN_REQUEST_URL') {
            $source += '|' + [Environment]::GetEnvironmentVariable($name)
        }
    }
    $names = (@($Recipe.Flow, $p['TenantId'], $p['ClientId'], $p['SigningAlgorithm'], [bool]$p['SendCertificateChain']) -join '|').ToLowerInvariant()
    "$names|$(Resolve-EntraAuthTarget -Parameters $p)|$source"
}

function Test-EntraAuthSameCredential {
    # True when a call brings the same secrets as the one that filled the entry (another refresh token may be another user).
    param([Parameter(Mandatory)] [hashtable] $Recipe, [Parameter(Mandatory)] [hashtable] $Entry)
    $mine = $Recipe.Parameters
    $theirs = $Entry.Recipe.Parameters
    foreach ($name in 'ClientSecret', 'RefreshToken', 'CertificatePassword', 'ClientAssertion') {
        if (-not (Test-EntraAuthSameSecret -Left $mine[$name] -Right $theirs[$name])) { return $false }
    }
    if ($null -ne $mine['Credential'] -and -not (Test-EntraAuthSameSecret -Left $mine['Credential'].Password -Right $theirs['Credential'].Password)) { return $false }
    $true
}

function Test-EntraAuthEntryFresh {
    # True until the token's renewal time (Get-EntraAuthRenewTime) has come.
    param([Parameter(Mandatory)] [hashtable] $Entry, [Parameter(Mandatory)] [double] $MarginSec)
    [DateTime]::UtcNow.Add($script:EntraAuthClockOffset) -lt (Get-EntraAuthRenewTime -Entry $Entry -MarginSec $MarginSec)
}

function Get-EntraAuthRenewTime {
    <#
    .SYNOPSIS
        The one rule for when a token is renewed, for the cache and the live globals alike: the margin before expiry,
        or Entra's refresh_in if that comes first, but never before half the token's lifetime has passed.
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

function Save-EntraAuthCacheEntry {
    <#
    .SYNOPSIS
        Stores a token under its recipe's key, with the newest refresh token (SecureString), and returns the entry.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory)] [hashtable] $Recipe, [Parameter(Mandatory)] [object] $Token)
    $previous = $script:EntraAuthTokenCache[$Recipe.Key]
    $refreshToken = $Token.RefreshToken
    if ($null -eq $refreshToken -and $null -ne $previous -and (Test-EntraAuthSameCredential -Recipe $Recipe -Entry $previous)) { $refreshToken = $previous.RefreshToken }
    $entry = @{ Key = $Recipe.Key; Recipe = $Recipe; Token = $Token; RefreshToken = $refreshToken; RefreshOn = $Token.RefreshOn }
    $script:EntraAuthTokenCache[$Recipe.Key] = $entry
    $entry
}

function Format-EntraAuthTokenFacts {
    # What a token is for, for -Verbose: never the token.
    param([Parameter(Mandatory)] [object] $Token, [Parameter(Mandatory)] [string] $Source)
    $seconds = ($Token.ExpiresOn - [DateTime]::UtcNow.Add($script:EntraAuthClockOffset)).TotalSeconds
    $left = if ($seconds -ge 120) { '{0:F0} min' -f ($seconds / 60) } else { '{0:F0} s' -f $seconds }
    $text = "Token from $Source for $($Token.Audience), expires {0:yyyy-MM-dd HH:mm:ss} UTC (in $left)" -f $Token.ExpiresOn
    if (@($Token.Roles).Count -gt 0) { $text += "; roles $($Token.Roles -join ' ')" }
    if ($Token.Scope) { $text += "; scopes $($Token.Scope)" }
    $text
}

function Clear-EntraAuthSessionCache {
    <#
    .SYNOPSIS
        Forgets every cached token and refresh token and stops renewing the globals.
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param()
    # The SecureStrings are not disposed: token objects the caller holds share them.
    $count = $script:EntraAuthTokenCache.Count
    $script:EntraAuthTokenCache = [hashtable]::new([System.StringComparer]::Ordinal)
    Unregister-EntraAuthLiveGlobals
    $count
}
