# Globals that stay valid: a read breakpoint on $MicrosoftEntraIDHeader and $MicrosoftEntraIDAccessToken renews them
# from the session cache just before a script uses them, once its renewal time (Get-EntraAuthRenewTime) has come.

# What each global holds: the header Build- set, and the token string Build- or Get- set (maybe another call's token).
$script:EntraAuthRenewing = @{ Header = $null; Token = $null }
$script:EntraAuthRenewalBreakpoints = @()
# After a failed renewal, the next try waits this long (the old token stays, and the caller sees a warning).
$script:EntraAuthRenewalRetrySec = 10

function Test-EntraAuthRenewingGlobalsEnabled {
    # $EntraAuthLiveGlobals = $false turns the renewing globals off; anything else (or nothing) leaves them on.
    $value = $global:EntraAuthLiveGlobals
    -not ($null -ne $value -and -not [bool]$value)
}

function Add-EntraAuthRenewalBreakpoint {
    # The read breakpoints on both globals. PowerShell 7's debugger sets them directly; Windows PowerShell 5.1 has
    # only Set-PSBreakpoint (whose first use costs some 60 ms more). The action runs in this module's scope.
    $action = { Update-EntraAuthRenewingGlobals }
    $names = 'MicrosoftEntraIDHeader', 'MicrosoftEntraIDAccessToken'
    $debugger = [runspace]::DefaultRunspace.Debugger
    if ($null -ne $debugger -and $null -ne $debugger.PSObject.Methods['SetVariableBreakpoint']) {
        $read = [System.Management.Automation.VariableAccessMode]::Read
        return @(foreach ($name in $names) { $debugger.SetVariableBreakpoint($name, $read, $action, $null) })
    }
    @(Set-PSBreakpoint -Variable $names -Mode Read -Action $action)
}

function Unregister-EntraAuthRenewingGlobals {
    # Removes the breakpoints; the globals keep their last values.
    $debugger = [runspace]::DefaultRunspace.Debugger
    foreach ($breakpoint in $script:EntraAuthRenewalBreakpoints) {
        if ($null -ne $debugger -and $null -ne $debugger.PSObject.Methods['RemoveBreakpoint']) {
            [void]$debugger.RemoveBreakpoint($breakpoint)
        }
        else { Remove-PSBreakpoint -Breakpoint $breakpoint -ErrorAction Ignore }
    }
    $script:EntraAuthRenewalBreakpoints = @()
    $script:EntraAuthRenewing = @{ Header = $null; Token = $null }
}

function New-EntraAuthBinding {
    # What one global follows: the cache entry, the value EntraAuth put there, and when to renew it.
    param([Parameter(Mandatory)] [hashtable] $Entry, [hashtable] $Header)
    @{
        # The entry it follows now (replaced when it renews): a cached call of the same entry compares just this.
        Entry      = $Entry
        Key        = $Entry.Key
        Value      = $Entry.Value
        Header     = $Header
        RenewAfter = Get-EntraAuthRenewTime -Entry $Entry -MarginSec (Get-EntraAuthRefreshMargin)
        # The margin setting RenewAfter was computed with: a new value is looked at on the next read.
        Margin     = $global:EntraAuthRefreshMarginSec
    }
}

function Register-EntraAuthRenewingGlobals {
    <#
    .SYNOPSIS
        Makes the globals just set follow their cache entry: renewed on read, near expiry, while
        $EntraAuthLiveGlobals is not $false.
    .PARAMETER Entry
        The cache entry whose token is in $global:MicrosoftEntraIDAccessToken (and in the header, with -Header).
    .PARAMETER Header
        The hashtable Build- put in $global:MicrosoftEntraIDHeader, renewed in place so the returned reference
        follows too.
    #>
    # Every call runs it, the cached ones too: a simple function (no [Parameter()], which would make it an advanced
    # one), the enabled test inlined (Test-EntraAuthRenewingGlobalsEnabled), and an O(1) check for the same entry.
    param([hashtable] $Entry, [hashtable] $Header)

    $live = $global:EntraAuthLiveGlobals
    if ($null -ne $live -and -not [bool]$live) {
        Unregister-EntraAuthRenewingGlobals
        return
    }
    # The same entry again with the same margin (a cached call): the bindings stay; only the header is the new one.
    # A binding follows one entry object, whose key and value never change (a renewal makes a new entry).
    $binding = $script:EntraAuthRenewing.Token
    if ($null -ne $binding -and [object]::ReferenceEquals($binding.Entry, $Entry) -and -not $binding.Failed -and
        $script:EntraAuthRenewalBreakpoints.Count -gt 0 -and $binding.Margin -eq $global:EntraAuthRefreshMarginSec) {
        if ($null -eq $Header) { return }
        $headerBinding = $script:EntraAuthRenewing.Header
        if ($null -ne $headerBinding -and [object]::ReferenceEquals($headerBinding.Entry, $Entry) -and
            -not $headerBinding.Failed -and $headerBinding.Margin -eq $binding.Margin) {
            $headerBinding.Header = $Header
            return
        }
    }
    $script:EntraAuthRenewing.Token = New-EntraAuthBinding -Entry $Entry
    if ($null -ne $Header) { $script:EntraAuthRenewing.Header = New-EntraAuthBinding -Entry $Entry -Header $Header }
    if ($script:EntraAuthRenewalBreakpoints.Count -gt 0) { return }
    try {
        # The action runs in this module's scope, before the value is read: what it sets is what the reader gets.
        $script:EntraAuthRenewalBreakpoints = Add-EntraAuthRenewalBreakpoint
        Write-Verbose -Message ('The globals renew themselves before the token expires ' +
            '($EntraAuthLiveGlobals = $false turns that off).')
    }
    catch {
        Write-Verbose -Message ("The globals cannot renew themselves in this host ($($_.Exception.Message)); " +
            'call the cmdlet again before the token expires.')
    }
}

function Test-EntraAuthBindingDue {
    # True when a binding may need work: its renewal time has come, or the margin setting changed since.
    param([hashtable] $Binding)
    if ($null -eq $Binding) { return $false }
    (Get-EntraAuthNow) -ge $Binding.RenewAfter -or $global:EntraAuthRefreshMarginSec -ne $Binding.Margin
}

function Update-EntraAuthBinding {
    # Renews one global if EntraAuth still owns it and its token is within the margin; $null when it is to be let go.
    param(
        [Parameter(Mandatory)] [hashtable] $Binding,
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [hashtable] $Renewed
    )
    $owned = if ($Name -eq 'Header') { [object]::ReferenceEquals($global:MicrosoftEntraIDHeader, $Binding.Header) }
    else {
        $token = $global:MicrosoftEntraIDAccessToken
        $token -is [string] -and $token -ceq $Binding.Value
    }
    $entry = $script:EntraAuthTokenCache[$Binding.Key]
    # A script put its own value there, or the cache was cleared: leave that global alone from now on.
    if (-not $owned -or $null -eq $entry) { return $null }
    $Binding.Margin = $global:EntraAuthRefreshMarginSec
    $margin = Get-EntraAuthRefreshMargin
    # Renewed once per read at most, also when both globals follow the same entry.
    if (-not $Renewed.ContainsKey($Binding.Key) -and -not (Test-EntraAuthEntryFresh -Entry $entry -MarginSec $margin)) {
        $Renewed[$Binding.Key] = $true
        try {
            $renewal = Invoke-EntraAuthRenewal -Entry $entry
            $entry = Save-EntraAuthCacheEntry -SavedCall $entry.SavedCall -Token $renewal
        }
        catch [System.Management.Automation.PipelineStoppedException] { throw }
        catch {
            $Binding.RenewAfter = (Get-EntraAuthNow).AddSeconds($script:EntraAuthRenewalRetrySec)
            $Binding.Failed = $true
            Write-Warning -Message ("EntraAuth could not renew `$MicrosoftEntraID$Name, which keeps its token until " +
                "it expires; it tries again in $($script:EntraAuthRenewalRetrySec) s. $($_.Exception.Message)")
            return $Binding
        }
        $facts = Format-EntraAuthTokenFacts -Token $entry.Token -Source 'a silent renewal'
        Write-Verbose -Message "EntraAuth renewed `$MicrosoftEntraID$($Name): $facts"
    }
    # The cache may also hold a token that a call renewed meanwhile.
    $value = "$($entry.Token.TokenType) $($entry.Token)"
    if ($value -cne $Binding.Value) {
        if ($Name -eq 'Header') {
            $Binding.Header['Authorization'] = $value
            Set-EntraAuthHeaderExpiry -Header $Binding.Header -ExpiresOn $entry.Token.ExpiresOn
        }
        else { $global:MicrosoftEntraIDAccessToken = $value }
        $Binding.Value = $value
    }
    $Binding.Entry = $entry
    $Binding.RenewAfter = Get-EntraAuthRenewTime -Entry $entry -MarginSec $margin
    $Binding.Failed = $false
    $Binding
}

function Update-EntraAuthRenewingGlobals {
    <#
    .SYNOPSIS
        The breakpoint action: two date comparisons while the tokens are fresh; near expiry, a silent renewal (refresh
        token, or the same credential again) written into the globals that EntraAuth set and nobody changed since.
    #>
    [CmdletBinding()]
    param()

    $renewing = $script:EntraAuthRenewing
    $due = (Test-EntraAuthBindingDue $renewing.Header) -or (Test-EntraAuthBindingDue $renewing.Token)
    if (-not $due) { return }
    if (-not (Test-EntraAuthRenewingGlobalsEnabled)) { return }
    try {
        # The header first: when both follow one entry, the token string then finds the renewed token in the cache.
        $renewed = @{}
        if (Test-EntraAuthBindingDue $renewing.Header) {
            $renewing.Header = Update-EntraAuthBinding -Binding $renewing.Header -Name 'Header' -Renewed $renewed
        }
        $header = $renewing.Header
        $token = $renewing.Token
        if ($null -ne $header -and $header.Failed -and $null -ne $token -and $token.Key -eq $header.Key) {
            # The same renewal just failed: wait with it as the header does, one warning per try.
            $renewing.Token.RenewAfter = $renewing.Header.RenewAfter
            $renewing.Token.Margin = $renewing.Header.Margin
        }
        if (Test-EntraAuthBindingDue $renewing.Token) {
            $renewing.Token = Update-EntraAuthBinding -Binding $renewing.Token -Name 'AccessToken' -Renewed $renewed
        }
    }
    catch [System.Management.Automation.PipelineStoppedException] {
        throw
    }
    catch {
        Write-Warning -Message "EntraAuth could not check the globals: $($_.Exception.Message)"
    }
}
