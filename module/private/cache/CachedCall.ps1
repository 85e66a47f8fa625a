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

function Find-EntraAuthCachedEntry {
    # The cache entry for a call bound exactly like a remembered one, while that entry is the cached one and fresh;
    # else $null. The hot path of every cached call, so it is written for the fewest PowerShell steps (each costs,
    # more so while the renewing globals' breakpoints keep the engine in debug mode): one simple function (no
    # advanced-function binding, no helper calls but the clock), the cheapest checks first, the clock read once and
    # only when a memo could match, foreach loops that go to the next memo at the first difference. Under -Verbose the
    # full way says where the token came from.
    param($SetName, $Bound)
    $memos = $script:EntraAuthCallMemos
    if ($memos.Count -eq 0 -or $VerbosePreference -ne 'SilentlyContinue') { return $null }
    $count = $Bound.Count
    $now = $null
    :memo foreach ($memo in $memos) {
        if ($memo.BoundCount -ne $count -or $memo.SetName -cne $SetName) { continue }
        if ($null -eq $now) { $now = Get-EntraAuthNow }
        $entry = $memo.Entry
        if ($now -ge $memo.RenewAfter -or
            -not [object]::ReferenceEquals($script:EntraAuthTokenCache[$memo.Key], $entry) -or
            $global:EntraAuthRefreshMarginSec -ne $memo.Margin -or $entry.RefreshOn -ne $memo.RefreshOn) { continue }
        # The same names: the memo has as many as are bound, and each of its names is bound (no memo value is $null).
        $values = $memo.BoundValues
        foreach ($name in $values.get_Keys()) {
            $value = $Bound[$name]
            $kept = $values[$name]
            if ($kept -is [array]) {
                if ($value -isnot [array] -or $value.Count -ne $kept.Count) { continue memo }
                for ($i = 0; $i -lt $kept.Count; $i++) { if ($value[$i] -cne $kept[$i]) { continue memo } }
            }
            elseif ($value -is [array] -or $value -cne $kept) { continue memo }
        }
        # A secret is provably the one the remembered call brought, without making either plain, only as the very
        # same string object (strings never change; held by a weak reference, so EntraAuth keeps no plain secret
        # alive), or the same read-only SecureString or PSCredential object. Anything else goes the full way.
        $secrets = $memo.BoundSecrets
        foreach ($name in $secrets.get_Keys()) {
            $value = $Bound[$name]
            if ($value -is [System.Management.Automation.PSObject]) { $value = $value.psobject.BaseObject }
            $kept = $secrets[$name]
            if ($kept -is [System.WeakReference]) {
                if ($value -isnot [string]) { continue memo }
                $kept = $kept.Target
            }
            if ($null -eq $value -or -not [object]::ReferenceEquals($kept, $value)) { continue memo }
        }
        $variables = $memo.Variables
        foreach ($name in $variables.get_Keys()) {
            if ([Environment]::GetEnvironmentVariable($name) -cne $variables[$name]) { continue memo }
        }
        return $entry
    }
    $null
}

function Save-EntraAuthCallMemo {
    # Remembers how a call was bound, for Find-EntraAuthCachedEntry, when its set and values allow it; newest first.
    # -Force is left out: it asks a new token, and the entry it leaves answers the same call without -Force (a
    # -Force:$false that reaches the memo counts as one more name, which no memo has, so it takes the full way).
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
        if ($name -eq 'Force') { continue }
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
        SetName = $SetName; BoundCount = $values.Count + $secrets.Count; BoundValues = $values; BoundSecrets = $secrets
        Variables = $kept; Key = $Entry.Key; Entry = $Entry; Margin = $global:EntraAuthRefreshMarginSec
        RefreshOn = $Entry.RefreshOn
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
