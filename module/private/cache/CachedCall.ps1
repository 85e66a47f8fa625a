# The cached call's fast path: a call bound exactly as an earlier one whose entry is still cached and fresh gets that
# entry with a few comparisons of what binding gave, no saved call, no key text, no secret made plain. Anything else (or
# any doubt) goes the full way (request/TokenAcquisition.ps1), which is always right.

# What earlier calls were bound with, newest first: set name, the bound values, the secrets (see below), the entry.
# (Keys are not named Count, Keys or Values: on a hashtable those read its own properties.)
# A plain array: no type to resolve at import.
$script:EntraAuthCallMemos = @()
$script:EntraAuthCallMemoLimit = 16
# Sets whose cache key depends only on the bound values and the variables named here (paths, certificates, script
# blocks and the sign-ins depend on more, and go the full way).
$script:EntraAuthMemoSets = @{ ClientSecret = @('AZURE_AUTHORITY_HOST'); Credential = @('AZURE_AUTHORITY_HOST') }
$script:EntraAuthMemoSets.ManagedIdentity = @(
    'AZURE_AUTHORITY_HOST', 'IDENTITY_ENDPOINT', 'MSI_ENDPOINT', 'IMDS_ENDPOINT', 'AZURE_FEDERATED_TOKEN_FILE',
    'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'ACTIONS_ID_TOKEN_REQUEST_URL'
)

function Test-EntraAuthMemoSecret {
    # True when a bound secret is provably the one an earlier call brought, without making either plain: the very same
    # string object (strings never change; held only by a weak reference, so EntraAuth keeps no plain secret alive), or
    # the same read-only SecureString or PSCredential object. Anything else is compared by the full way.
    param([object] $Value, [object] $Kept)
    if ($Value -is [System.Management.Automation.PSObject]) { $Value = $Value.psobject.BaseObject }
    if ($Kept -is [System.WeakReference]) {
        return $Value -is [string] -and [object]::ReferenceEquals($Kept.Target, $Value)
    }
    [object]::ReferenceEquals($Kept, $Value)
}

function Find-EntraAuthCachedEntry {
    # The cache entry for a call bound exactly like a remembered one, while that entry is the cached one and fresh;
    # else $null. Not an advanced function: it costs the least to call. Under -Verbose the full way says where the
    # token came from.
    param([string] $SetName, [System.Collections.IDictionary] $Bound)
    if ($script:EntraAuthCallMemos.Count -eq 0 -or $VerbosePreference -ne 'SilentlyContinue') { return $null }
    $now = Get-EntraAuthNow
    foreach ($memo in $script:EntraAuthCallMemos) {
        if ($memo.SetName -cne $SetName -or $memo.BoundCount -ne $Bound.Count -or
            $now -ge $memo.RenewAfter) { continue }
        if (-not [object]::ReferenceEquals($script:EntraAuthTokenCache[$memo.Key], $memo.Entry)) { continue }
        if ($global:EntraAuthRefreshMarginSec -ne $memo.Margin -or
            $memo.Entry.RefreshOn -ne $memo.RefreshOn) { continue }
        $same = $true
        foreach ($name in $Bound.Keys) {
            $value = $Bound[$name]
            if ($memo.BoundSecrets.ContainsKey($name)) {
                $same = Test-EntraAuthMemoSecret $value $memo.BoundSecrets[$name]
            }
            elseif (-not $memo.BoundValues.ContainsKey($name)) { $same = $false }
            else {
                $kept = $memo.BoundValues[$name]
                if ($value -is [array]) {
                    $same = $kept -is [array] -and $kept.Count -eq $value.Count
                    for ($i = 0; $same -and $i -lt $value.Count; $i++) { $same = $value[$i] -ceq $kept[$i] }
                }
                else { $same = $kept -isnot [array] -and $value -ceq $kept }
            }
            if (-not $same) { break }
        }
        if (-not $same) { continue }
        foreach ($name in $memo.Variables.get_Keys()) {
            if ([Environment]::GetEnvironmentVariable($name) -cne $memo.Variables[$name]) { $same = $false; break }
        }
        if ($same) { return $memo.Entry }
    }
    $null
}

function Save-EntraAuthCallMemo {
    # Remembers how a call was bound, for Find-EntraAuthCachedEntry, when its set and values allow it; newest first.
    param(
        [Parameter(Mandatory)] [string] $SetName,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $Bound,
        [Parameter(Mandatory)] [hashtable] $Entry
    )
    $variables = $script:EntraAuthMemoSets[$SetName]
    if ($null -eq $variables) { return }
    $values = @{}
    $secrets = @{}
    foreach ($name in $Bound.Keys) {
        $value = $Bound[$name]
        if ($value -is [System.Management.Automation.PSObject]) { $value = $value.psobject.BaseObject }
        if ($name -eq 'Credential' -or $script:EntraAuthSecretParameters -contains $name) {
            $password = $value
            if ($value -is [pscredential]) { $password = $value.Password }
            if ($value -is [string]) { $secrets[$name] = [System.WeakReference]::new($value) }
            elseif ($password -is [securestring] -and $password.IsReadOnly()) { $secrets[$name] = $value }
            else { return }
        }
        elseif ($value -is [string] -or $value -is [System.ValueType] -or $value -is [uri]) { $values[$name] = $value }
        elseif ($value -is [string[]]) { $values[$name] = [string[]]$value.Clone() }
        else { return }
    }
    $kept = @{}
    foreach ($name in $variables) { $kept[$name] = [Environment]::GetEnvironmentVariable($name) }
    $memo = @{
        SetName = $SetName; BoundCount = $Bound.Count; BoundValues = $values; BoundSecrets = $secrets; Variables = $kept
        Key = $Entry.Key; Entry = $Entry; Margin = $global:EntraAuthRefreshMarginSec; RefreshOn = $Entry.RefreshOn
        RenewAfter = Get-EntraAuthRenewTime -Entry $Entry -MarginSec (Get-EntraAuthRefreshMargin)
    }
    # One memo per entry (the newest way it was called), none for entries that left the cache, at most the limit.
    $memos = @($memo)
    foreach ($old in $script:EntraAuthCallMemos) {
        if ($memos.Count -ge $script:EntraAuthCallMemoLimit) { break }
        if (-not [object]::ReferenceEquals($old.Entry, $Entry) -and
            [object]::ReferenceEquals($script:EntraAuthTokenCache[$old.Key], $old.Entry)) { $memos += $old }
    }
    $script:EntraAuthCallMemos = $memos
}
