# The session token cache: module-scoped, keyed by flow, tenant, client, cloud and scopes; an entry answers only a call
# with the same secret or refresh token. Secrets and refresh tokens as SecureString. Never written to disk.

$script:EntraAuthTokenCache = @{}
$script:EntraAuthDefaultRefreshMarginSec = 300

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

function Get-EntraAuthCacheKey {
    <#
    .SYNOPSIS
        The cache key of a recipe: flow, tenant, client, cloud, scopes, and where a credential comes from (file, store,
        certificate, identity source) but never a secret: Test-EntraAuthSameCredential compares those.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [hashtable] $Recipe)
    $p = $Recipe.Parameters
    $source = switch ($Recipe.Flow) {
        'credential' { $p['Credential'].UserName }
        'certificatePath' { $p['CertificatePath'] }
        'certificateThumbprint' { $p['CertificateThumbprint'] -replace '[^0-9A-Fa-f]', '' }
        'certificate' { $p['Certificate'].Thumbprint }
        'federatedTokenFile' { $p['FederatedTokenFile'] }
        'managedIdentity' { "$($p['ManagedIdentityObjectId'])/$($p['ManagedIdentityResourceId'])" }
        'interactive' { [string]$p['LoginHint'] }
        default { '' }
    }
    # Where a managed or workload identity comes from is in the environment: another source, another token.
    if ($Recipe.Flow -in 'managedIdentity', 'workloadIdentity', 'federatedTokenFile', 'clientAssertion') {
        foreach ($name in 'IDENTITY_ENDPOINT', 'MSI_ENDPOINT', 'IMDS_ENDPOINT', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'ACTIONS_ID_TOKEN_REQUEST_URL') {
            $source += '|' + [Environment]::GetEnvironmentVariable($name)
        }
    }
    # Plain loops and .NET sorting: the pipeline cmdlets cost milliseconds at their first use in a session.
    $unique = [System.Collections.Generic.SortedSet[string]]::new([System.StringComparer]::Ordinal)
    foreach ($scope in @($p['Scope'])) { if ($scope) { [void]$unique.Add(([string]$scope).Trim()) } }
    $cloud = if ($p['AuthorityHost']) { [string]$p['AuthorityHost'] } elseif ($p['Environment']) { [string]$p['Environment'] } else { "env:$env:AZURE_AUTHORITY_HOST" }
    (@($Recipe.Flow, $p['TenantId'], $p['ClientId'], $cloud, (@($unique) -join ' '), $p['SigningAlgorithm'], [bool]$p['SendCertificateChain'], $source) -join '|').ToLowerInvariant()
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
    # True while the token has more than the margin left and Entra's refresh_in time has not come.
    param([Parameter(Mandatory)] [hashtable] $Entry, [Parameter(Mandatory)] [double] $MarginSec)
    [DateTime]::UtcNow -lt (Get-EntraAuthRenewTime -Entry $Entry -MarginSec $MarginSec)
}

function Get-EntraAuthRenewTime {
    # When the token of an entry is to be renewed: the margin before expiry, or refresh_in if that comes first.
    param([Parameter(Mandatory)] [hashtable] $Entry, [Parameter(Mandatory)] [double] $MarginSec)
    $renew = $Entry.Token.ExpiresOn.AddSeconds(-$MarginSec)
    if ($null -ne $Entry.RefreshOn -and $Entry.RefreshOn -lt $renew) { $renew = $Entry.RefreshOn }
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
    $seconds = ($Token.ExpiresOn - [DateTime]::UtcNow).TotalSeconds
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
    $script:EntraAuthTokenCache = @{}
    Unregister-EntraAuthLiveGlobals
    $count
}
