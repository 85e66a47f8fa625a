# Globals that stay valid: a read breakpoint on $MicrosoftEntraIDHeader and $MicrosoftEntraIDAccessToken renews them
# from the session cache just before a script uses them, once its renewal time (Get-EntraAuthRenewTime) has come.

# What each global holds: the header Build- set, and the token string Build- or Get- set (maybe another call's token).
$script:EntraAuthLive = @{ Header = $null; Token = $null }
$script:EntraAuthLiveBreakpoints = @()
# After a failed renewal, the next try waits this long (the old token stays, and the caller sees a warning).
$script:EntraAuthLiveRetrySec = 10

function Test-EntraAuthLiveGlobalsEnabled {
    # $EntraAuthLiveGlobals = $false turns the live globals off; anything else (or nothing) leaves them on.
    $value = $global:EntraAuthLiveGlobals
    -not ($null -ne $value -and -not [bool]$value)
}

function Add-EntraAuthLiveBreakpoint {
    # The read breakpoints on both globals. PowerShell 7's debugger sets them directly; Windows PowerShell 5.1 has
    # only Set-PSBreakpoint (whose first use costs some 60 ms more). The action runs in this module's scope.
    $action = { Update-EntraAuthLiveGlobals }
    $names = 'MicrosoftEntraIDHeader', 'MicrosoftEntraIDAccessToken'
    $debugger = [runspace]::DefaultRunspace.Debugger
    if ($null -ne $debugger -and $null -ne $debugger.PSObject.Methods['SetVariableBreakpoint']) {
        return @(foreach ($name in $names) { $debugger.SetVariableBreakpoint($name, [System.Management.Automation.VariableAccessMode]::Read, $action, $null) })
    }
    @(Set-PSBreakpoint -Variable $names -Mode Read -Action $action)
}

function Unregister-EntraAuthLiveGlobals {
    # Removes the breakpoints; the globals keep their last values.
    $debugger = [runspace]::DefaultRunspace.Debugger
    foreach ($breakpoint in $script:EntraAuthLiveBreakpoints) {
        if ($null -ne $debugger -and $null -ne $debugger.PSObject.Methods['RemoveBreakpoint']) { [void]$debugger.RemoveBreakpoint($breakpoint) }
        else { Remove-PSBreakpoint -Breakpoint $breakpoint -ErrorAction Ignore }
    }
    $script:EntraAuthLiveBreakpoints = @()
    $script:EntraAuthLive = @{ Header = $null; Token = $null }
}

function New-EntraAuthLiveSlot {
    # What one global follows: the cache entry, the value EntraAuth put there, and when to renew it.
    param([Parameter(Mandatory)] [hashtable] $Entry, [hashtable] $Header)
    @{
        Key        = $Entry.Key
        Value      = $Entry.Value
        Header     = $Header
        RenewAfter = Get-EntraAuthRenewTime -Entry $Entry -MarginSec (Get-EntraAuthRefreshMargin)
        # The margin setting RenewAfter was computed with: a new value is looked at on the next read.
        Margin     = $global:EntraAuthRefreshMarginSec
    }
}

function Register-EntraAuthLiveGlobals {
    <#
    .SYNOPSIS
        Makes the globals just set follow their cache entry: renewed on read, near expiry, while $EntraAuthLiveGlobals is not $false.
    .PARAMETER Entry
        The cache entry whose token is in $global:MicrosoftEntraIDAccessToken (and in the header, with -Header).
    .PARAMETER Header
        The hashtable Build- put in $global:MicrosoftEntraIDHeader, renewed in place so the returned reference follows too.
    #>
    # Not an advanced function: a cached call runs it too.
    param([Parameter(Mandatory)] [hashtable] $Entry, [hashtable] $Header)

    if (-not (Test-EntraAuthLiveGlobalsEnabled)) {
        Unregister-EntraAuthLiveGlobals
        return
    }
    # The same entry again with the same margin (a cached call): the slots stay; only the header is the new one.
    $slot = $script:EntraAuthLive.Token
    if ($script:EntraAuthLiveBreakpoints.Count -gt 0 -and $null -ne $slot -and -not $slot.Failed -and $slot.Key -ceq $Entry.Key -and $slot.Value -ceq $Entry.Value -and $slot.Margin -eq $global:EntraAuthRefreshMarginSec) {
        $headerSlot = $script:EntraAuthLive.Header
        if ($null -eq $Header) { return }
        if ($null -ne $headerSlot -and -not $headerSlot.Failed -and $headerSlot.Key -ceq $Entry.Key -and $headerSlot.Value -ceq $Entry.Value -and $headerSlot.Margin -eq $global:EntraAuthRefreshMarginSec) {
            $headerSlot.Header = $Header
            return
        }
    }
    $script:EntraAuthLive.Token = New-EntraAuthLiveSlot -Entry $Entry
    if ($null -ne $Header) { $script:EntraAuthLive.Header = New-EntraAuthLiveSlot -Entry $Entry -Header $Header }
    if ($script:EntraAuthLiveBreakpoints.Count -gt 0) { return }
    try {
        # The action runs in this module's scope, before the value is read: what it sets is what the reader gets.
        $script:EntraAuthLiveBreakpoints = Add-EntraAuthLiveBreakpoint
        Write-Verbose -Message 'The globals renew themselves before the token expires ($EntraAuthLiveGlobals = $false turns that off).'
    }
    catch {
        Write-Verbose -Message "The globals cannot renew themselves in this host ($($_.Exception.Message)); call the cmdlet again before the token expires."
    }
}

function Test-EntraAuthLiveSlotDue {
    # True when a slot may need work: its renewal time has come, or the margin setting changed since.
    param([hashtable] $Slot)
    $null -ne $Slot -and ([DateTime]::UtcNow.Add($script:EntraAuthClockOffset) -ge $Slot.RenewAfter -or $global:EntraAuthRefreshMarginSec -ne $Slot.Margin)
}

function Update-EntraAuthLiveSlot {
    # Renews one global if EntraAuth still owns it and its token is within the margin; $null when it is to be let go.
    param([Parameter(Mandatory)] [hashtable] $Slot, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [hashtable] $Renewed)
    $owned = if ($Name -eq 'Header') { [object]::ReferenceEquals($global:MicrosoftEntraIDHeader, $Slot.Header) }
    else { $global:MicrosoftEntraIDAccessToken -is [string] -and $global:MicrosoftEntraIDAccessToken -ceq $Slot.Value }
    $entry = $script:EntraAuthTokenCache[$Slot.Key]
    # A script put its own value there, or the cache was cleared: leave that global alone from now on.
    if (-not $owned -or $null -eq $entry) { return $null }
    $Slot.Margin = $global:EntraAuthRefreshMarginSec
    $margin = Get-EntraAuthRefreshMargin
    # Renewed once per read at most, also when both globals follow the same entry.
    if (-not $Renewed.ContainsKey($Slot.Key) -and -not (Test-EntraAuthEntryFresh -Entry $entry -MarginSec $margin)) {
        $Renewed[$Slot.Key] = $true
        try { $entry = Save-EntraAuthCacheEntry -Recipe $entry.Recipe -Token (Invoke-EntraAuthRenewal -Entry $entry) }
        catch [System.Management.Automation.PipelineStoppedException] { throw }
        catch {
            $Slot.RenewAfter = [DateTime]::UtcNow.Add($script:EntraAuthClockOffset).AddSeconds($script:EntraAuthLiveRetrySec)
            $Slot.Failed = $true
            Write-Warning -Message "EntraAuth could not renew `$MicrosoftEntraID$Name, which keeps its token until it expires; it tries again in $($script:EntraAuthLiveRetrySec) s. $($_.Exception.Message)"
            return $Slot
        }
        Write-Verbose -Message ("EntraAuth renewed `$MicrosoftEntraID$($Name): " + (Format-EntraAuthTokenFacts -Token $entry.Token -Source 'a silent renewal'))
    }
    # The cache may also hold a token that a call renewed meanwhile.
    $value = "$($entry.Token.TokenType) $($entry.Token)"
    if ($value -cne $Slot.Value) {
        if ($Name -eq 'Header') {
            $Slot.Header['Authorization'] = $value
            Set-EntraAuthHeaderExpiry -Header $Slot.Header -ExpiresOn $entry.Token.ExpiresOn
        }
        else { $global:MicrosoftEntraIDAccessToken = $value }
        $Slot.Value = $value
    }
    $Slot.RenewAfter = Get-EntraAuthRenewTime -Entry $entry -MarginSec $margin
    $Slot.Failed = $false
    $Slot
}

function Update-EntraAuthLiveGlobals {
    <#
    .SYNOPSIS
        The breakpoint action: two date comparisons while the tokens are fresh; near expiry, a silent renewal (refresh
        token, or the same credential again) written into the globals that EntraAuth set and nobody changed since.
    #>
    [CmdletBinding()]
    param()

    $live = $script:EntraAuthLive
    if (-not (Test-EntraAuthLiveSlotDue $live.Header) -and -not (Test-EntraAuthLiveSlotDue $live.Token)) { return }
    if (-not (Test-EntraAuthLiveGlobalsEnabled)) { return }
    try {
        # The header first: when both follow one entry, the token string then finds the renewed token in the cache.
        $renewed = @{}
        if (Test-EntraAuthLiveSlotDue $live.Header) { $live.Header = Update-EntraAuthLiveSlot -Slot $live.Header -Name 'Header' -Renewed $renewed }
        if ($null -ne $live.Header -and $live.Header.Failed -and $null -ne $live.Token -and $live.Token.Key -eq $live.Header.Key) {
            # The same renewal just failed: wait with it as the header does, one warning per try.
            $live.Token.RenewAfter = $live.Header.RenewAfter
            $live.Token.Margin = $live.Header.Margin
        }
        if (Test-EntraAuthLiveSlotDue $live.Token) { $live.Token = Update-EntraAuthLiveSlot -Slot $live.Token -Name 'AccessToken' -Renewed $renewed }
    }
    catch [System.Management.Automation.PipelineStoppedException] {
        throw
    }
    catch {
        Write-Warning -Message "EntraAuth could not check the globals: $($_.Exception.Message)"
    }
}
