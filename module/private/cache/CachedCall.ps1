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
    # else $null. The hot path of every cached call, so it is written for the fewest PowerShell steps: a simple
    # function (no advanced-function binding), the cheapest checks first, the clock read once and only when a memo
    # could match, the memo's parallel arrays read by index (no ContainsKey), the secret check inlined. Under -Verbose
    # the full way says where the token came from.
    param($SetName, $Bound)
    $memos = $script:EntraAuthCallMemos
    if ($memos.Count -eq 0 -or $VerbosePreference -ne 'SilentlyContinue') { return $null }
    $count = $Bound.Count
    $now = $null
    foreach ($memo in $memos) {
        if ($memo.BoundCount -ne $count -or $memo.SetName -cne $SetName) { continue }
        if ($null -eq $now) { $now = Get-EntraAuthNow }
        $entry = $memo.Entry
        if ($now -ge $memo.RenewAfter -or -not [object]::ReferenceEquals($script:EntraAuthTokenCache[$memo.Key], $entry) -or
            $global:EntraAuthRefreshMarginSec -ne $memo.Margin -or $entry.RefreshOn -ne $memo.RefreshOn) { continue }
        # The same names: the memo's names are as many as the bound ones, and each is bound (no memo value is $null).
        $same = $true
        $names = $memo.Names
        $values = $memo.Values
        for ($i = 0; $same -and $i -lt $names.Count; $i++) {
            $value = $Bound[$names[$i]]
            $kept = $values[$i]
            if ($kept -is [array]) {
                $same = $value -is [array] -and $value.Count -eq $kept.Count
                for ($j = 0; $same -and $j -lt $kept.Count; $j++) { $same = $value[$j] -ceq $kept[$j] }
            }
            else { $same = $value -isnot [array] -and $value -ceq $kept }
        }
        # A secret is provably the one the remembered call brought, without making either plain, only as the very same
        # string object (strings never change; held by a weak reference, so EntraAuth keeps no plain secret alive), or
        # the same read-only SecureString or PSCredential object. Anything else is compared by the full way.
        $names = $memo.SecretNames
        $secrets = $memo.Secrets
        for ($i = 0; $same -and $i -lt $names.Count; $i++) {
            $value = $Bound[$names[$i]]
            if ($value -is [System.Management.Automation.PSObject]) { $value = $value.psobject.BaseObject }
            $kept = $secrets[$i]
            if ($kept -is [System.WeakReference]) {
                $same = $value -is [string] -and [object]::ReferenceEquals($kept.Target, $value)
            }
            else { $same = $null -ne $value -and [object]::ReferenceEquals($kept, $value) }
        }
        $names = $memo.VariableNames
        $kept = $memo.VariableValues
        for ($i = 0; $same -and $i -lt $names.Count; $i++) {
            $same = [Environment]::GetEnvironmentVariable($names[$i]) -ceq $kept[$i]
        }
        if ($same) { return $entry }
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
    $names = [System.Collections.Generic.List[string]]::new()
    $values = [System.Collections.Generic.List[object]]::new()
    $secretNames = [System.Collections.Generic.List[string]]::new()
    $secrets = [System.Collections.Generic.List[object]]::new()
    foreach ($name in $Bound.Keys) {
        if ($name -eq 'Force') { continue }
        $value = $Bound[$name]
        if ($value -is [System.Management.Automation.PSObject]) { $value = $value.psobject.BaseObject }
        if ($name -eq 'Credential' -or $script:EntraAuthSecretParameters -contains $name) {
            $password = $value
            if ($value -is [pscredential]) { $password = $value.Password }
            if ($value -is [string]) { $secrets.Add([System.WeakReference]::new($value)) }
            elseif ($password -is [securestring] -and $password.IsReadOnly()) { $secrets.Add($value) }
            else { return }
            $secretNames.Add($name)
        }
        elseif ($value -is [string] -or $value -is [System.ValueType] -or $value -is [uri]) {
            $names.Add($name)
            $values.Add($value)
        }
        elseif ($value -is [string[]]) {
            $names.Add($name)
            $values.Add([string[]]$value.Clone())
        }
        else { return }
    }
    # Object slots, not [string[]]: an unset variable stays $null (a string array would make it '').
    $variableValues = [object[]]::new($variables.Count)
    for ($i = 0; $i -lt $variables.Count; $i++) { $variableValues[$i] = [Environment]::GetEnvironmentVariable($variables[$i]) }
    $memo = @{
        SetName = $SetName; BoundCount = $names.Count + $secretNames.Count
        Names = $names.ToArray(); Values = $values.ToArray(); SecretNames = $secretNames.ToArray(); Secrets = $secrets.ToArray()
        VariableNames = $variables; VariableValues = $variableValues
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
