# The session token cache: module-scoped, keyed by flow, tenant, client and the canonical target (login host and scopes,
# as the core resolves them); an entry answers only a call with the same secret or refresh token. Secrets and refresh
# tokens as SecureString. Never written to disk.

# Keys compare exactly (a PowerShell @{} ignores case, which would join two files whose names differ only in case).
$script:EntraAuthTokenCache = [hashtable]::new([System.StringComparer]::Ordinal)

function Set-EntraAuthCacheIdentity {
    <#
    .SYNOPSIS
        Gives a recipe what its cache key is made of: flow, tenant, client (Names), where a credential comes from (file,
        store, certificate, identity source; Source) but never a secret (Test-EntraAuthSameCredential compares those),
        and the spelling of its target; and the key itself when that spelling's canonical target is known already
        (else Key is $null until Complete-EntraAuthCacheKey). Ids compare without case; file paths as the file system does.
    #>
    [CmdletBinding()]
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
    $Recipe.Names = (@($Recipe.Flow, $p['TenantId'], $p['ClientId'], $p['SigningAlgorithm'], [bool]$p['SendCertificateChain']) -join '|').ToLowerInvariant()
    $Recipe.Source = $source
    $Recipe.Spelling = Get-EntraAuthTargetSpelling -Parameters $p
    $Recipe.Key = $null
    $target = $script:EntraAuthTargets[$Recipe.Spelling]
    if ($null -ne $target) { $Recipe.Key = "$($Recipe.Names)|$target|$source" }
}

function Complete-EntraAuthCacheKey {
    # Sets a recipe's key once its target is known: from the envelope of the token just asked for ($Recipe.Target, no
    # extra round trip), else by asking the core (resolveTarget). Each spelling is learnt once either way.
    param([Parameter(Mandatory)] [hashtable] $Recipe)
    if ($null -ne $Recipe.Key) { $Recipe.Target = $null; return }
    $target = $null
    if ($null -ne $Recipe.Target) { $target = Save-EntraAuthTarget -Spelling $Recipe.Spelling -Target $Recipe.Target }
    else { $target = Resolve-EntraAuthTarget -Parameters $Recipe.Parameters }
    $Recipe.Target = $null
    $Recipe.Key = "$($Recipe.Names)|$target|$($Recipe.Source)"
}

function Test-EntraAuthCacheMayHold {
    # True when an entry of the same flow, tenant, client and credential source is cached: one of another spelling of
    # the same target could answer the call, so the key must be complete before the cache is looked up.
    param([Parameter(Mandatory)] [hashtable] $Recipe)
    foreach ($entry in $script:EntraAuthTokenCache.Values) {
        if ($entry.Recipe.Names -ceq $Recipe.Names -and $entry.Recipe.Source -ceq $Recipe.Source) { return $true }
    }
    $false
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
    # Value: '<type> <token>', what the globals and the header hold; Header: the header built from it at its first use.
    $entry = @{ Key = $Recipe.Key; Recipe = $Recipe; Token = $Token; RefreshToken = $refreshToken; RefreshOn = $Token.RefreshOn; Value = "$($Token.TokenType) $Token"; Header = $null }
    $script:EntraAuthTokenCache[$Recipe.Key] = $entry
    $entry
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
    $script:EntraAuthCallMemos = @()
    Unregister-EntraAuthLiveGlobals
    $count
}
