# The session token cache: module-scoped, keyed by credential kind, tenant, client and the canonical target (login host
# and scopes, as the core resolves them); an entry answers only a call with the same secret or refresh token. Secrets
# and refresh tokens as SecureString. Never written to disk.

# Keys compare exactly (a PowerShell @{} ignores case, which would join two files whose names differ only in case).
$script:EntraAuthTokenCache = [hashtable]::new([System.StringComparer]::Ordinal)

function Get-EntraAuthCacheKey {
    <#
    .SYNOPSIS
        The cache key of a saved call: credential kind, tenant, client, the canonical target (login host and scopes,
        from the core), and where a credential comes from (file, store, certificate, identity source) but never a
        secret: Test-EntraAuthSameCredential compares those. Ids compare without case; file paths as the file system
        does.
    #>
    [CmdletBinding()]
    [OutputType([string])]
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
        foreach ($name in 'IDENTITY_ENDPOINT', 'MSI_ENDPOINT', 'IMDS_ENDPOINT', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'ACTIONS_ID_TOKEN_REQUEST_URL') {
            $source += '|' + [Environment]::GetEnvironmentVariable($name)
        }
    }
    $names = (@($SavedCall.CredentialKind, $p['TenantId'], $p['ClientId'], $p['SigningAlgorithm'], [bool]$p['SendCertificateChain']) -join '|').ToLowerInvariant()
    "$names|$(Resolve-EntraAuthTarget -Parameters $p)|$source"
}

function Test-EntraAuthSameCredential {
    # True when a call brings the same secrets as the one that filled the entry (another refresh token may be another user).
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
    $entry = @{ Key = $SavedCall.Key; SavedCall = $SavedCall; Token = $Token; RefreshToken = $refreshToken; RefreshOn = $Token.RefreshOn }
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
    Unregister-EntraAuthRenewingGlobals
    $count
}
