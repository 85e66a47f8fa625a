# The session token cache: module-scoped, keyed by credential kind, tenant, client and the canonical target (login host
# and scopes, as the core resolves them); an entry answers only a call with the same secret or refresh token. Secrets
# and refresh tokens as SecureString. Never written to disk.

# Keys compare exactly (a PowerShell @{} ignores case, which would join two files whose names differ only in case).
$script:EntraAuthTokenCache = [hashtable]::new([System.StringComparer]::Ordinal)

function Set-EntraAuthCacheIdentity {
    <#
    .SYNOPSIS
        Gives a saved call what its cache key is made of: flow, tenant, client (Names), where a credential comes from
        (file, store, certificate, identity source; Source) but never a secret (Test-EntraAuthSameCredential compares
        those), and the spelling of its target; and the key itself when that spelling's canonical target is known
        already (else Key is $null until Complete-EntraAuthCacheKey). Ids compare without case; file paths as the file
        system does.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [hashtable] $SavedCall)
    $p = $SavedCall.Parameters
    $path = $null
    $source = switch ($SavedCall.CredentialKind) {
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
    if ($SavedCall.CredentialKind -in 'managedIdentity', 'workloadIdentity', 'federatedTokenFile', 'clientAssertion') {
        $names = 'IDENTITY_ENDPOINT', 'MSI_ENDPOINT', 'IMDS_ENDPOINT', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_TENANT_ID',
            'AZURE_CLIENT_ID', 'ACTIONS_ID_TOKEN_REQUEST_URL'
        foreach ($name in $names) {
            $source += '|' + [Environment]::GetEnvironmentVariable($name)
        }
    }
    $nameParts = @($SavedCall.CredentialKind, $p['TenantId'], $p['ClientId'], $p['SigningAlgorithm'],
        [bool]$p['SendCertificateChain'])
    $SavedCall.Names = ($nameParts -join '|').ToLowerInvariant()
    $SavedCall.Source = $source
    $SavedCall.Spelling = Get-EntraAuthTargetSpelling -Parameters $p
    $SavedCall.Key = $null
    $target = $script:EntraAuthTargets[$SavedCall.Spelling]
    if ($null -ne $target) { $SavedCall.Key = "$($SavedCall.Names)|$target|$source" }
}

function Complete-EntraAuthCacheKey {
    # Sets a saved call's key once its target is known: from the envelope of the token just asked for
    # ($SavedCall.Target, no extra round trip), else by asking the core (resolveTarget). Each spelling is learnt once
    # either way.
    param([Parameter(Mandatory)] [hashtable] $SavedCall)
    if ($null -ne $SavedCall.Key) { $SavedCall.Target = $null; return }
    $target = $null
    if ($null -ne $SavedCall.Target) {
        $target = Save-EntraAuthTarget -Spelling $SavedCall.Spelling -Target $SavedCall.Target
    }
    else { $target = Resolve-EntraAuthTarget -Parameters $SavedCall.Parameters }
    $SavedCall.Target = $null
    $SavedCall.Key = "$($SavedCall.Names)|$target|$($SavedCall.Source)"
}

function Test-EntraAuthCacheMayHold {
    # True when an entry of the same flow, tenant, client and credential source is cached: one of another spelling of
    # the same target could answer the call, so the key must be complete before the cache is looked up.
    param([Parameter(Mandatory)] [hashtable] $SavedCall)
    foreach ($entry in $script:EntraAuthTokenCache.Values) {
        if ($entry.SavedCall.Names -ceq $SavedCall.Names -and $entry.SavedCall.Source -ceq $SavedCall.Source) { return $true }
    }
    $false
}

function Test-EntraAuthSameCredential {
    # True when a call brings the same secrets as the one that filled the entry (another refresh token may be another
    # user).
    param([Parameter(Mandatory)] [hashtable] $SavedCall, [Parameter(Mandatory)] [hashtable] $Entry)
    $mine = $SavedCall.Parameters
    $theirs = $Entry.SavedCall.Parameters
    foreach ($name in 'ClientSecret', 'RefreshToken', 'CertificatePassword', 'ClientAssertion') {
        if (-not (Test-EntraAuthSameSecret -Left $mine[$name] -Right $theirs[$name])) { return $false }
    }
    if ($null -ne $mine['Credential'] -and -not (Test-EntraAuthSameSecret -Left $mine['Credential'].Password -Right $theirs['Credential'].Password)) { return $false }
    $true
}

function Test-EntraAuthEntryFresh {
    # True until the token's renewal time (Get-EntraAuthRenewTime) has come.
    param([Parameter(Mandatory)] [hashtable] $Entry, [Parameter(Mandatory)] [double] $MarginSec)
    (Get-EntraAuthNow) -lt (Get-EntraAuthRenewTime -Entry $Entry -MarginSec $MarginSec)
}

function Save-EntraAuthCacheEntry {
    <#
    .SYNOPSIS
        Stores a token under its saved call's key, with the newest refresh token (SecureString), and returns the entry.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory)] [hashtable] $SavedCall, [Parameter(Mandatory)] [object] $Token)
    $previous = $script:EntraAuthTokenCache[$SavedCall.Key]
    $refreshToken = $Token.RefreshToken
    if ($null -eq $refreshToken -and $null -ne $previous -and (Test-EntraAuthSameCredential -SavedCall $SavedCall -Entry $previous)) { $refreshToken = $previous.RefreshToken }
    # Value: '<type> <token>', what the globals and the header hold; Header: the header built from it at its first use.
    $entry = @{ Key = $SavedCall.Key; SavedCall = $SavedCall; Token = $Token; RefreshToken = $refreshToken; RefreshOn = $Token.RefreshOn; Value = "$($Token.TokenType) $Token"; Header = $null }
    $script:EntraAuthTokenCache[$SavedCall.Key] = $entry
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
    Unregister-EntraAuthRenewingGlobals
    $count
}
