# Globals that stay valid: a read breakpoint on $MicrosoftEntraIDHeader and $MicrosoftEntraIDAccessToken renews them
# from the session cache just before a script uses them, once the token is within the refresh margin of its expiry.

$script:EntraAuthLive = $null
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
    $script:EntraAuthLive = $null
}

function Register-EntraAuthLiveGlobals {
    <#
    .SYNOPSIS
        Makes the globals just set follow the cache entry: renewed on read, near expiry, while $EntraAuthLiveGlobals is not $false.
    .PARAMETER Entry
        The cache entry whose token is in the globals.
    .PARAMETER Header
        The hashtable in $global:MicrosoftEntraIDHeader (Build-), renewed in place so copies of the reference follow too.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [hashtable] $Entry, [hashtable] $Header)

    if (-not (Test-EntraAuthLiveGlobalsEnabled)) {
        Unregister-EntraAuthLiveGlobals
        return
    }
    $header = $Header
    if ($null -eq $header -and $null -ne $script:EntraAuthLive -and $script:EntraAuthLive.Key -eq $Entry.Key) { $header = $script:EntraAuthLive.Header }
    $script:EntraAuthLive = @{
        Key         = $Entry.Key
        AccessToken = "$($Entry.Token.TokenType) $($Entry.Token)"
        Header      = $header
        RenewAfter  = Get-EntraAuthRenewTime -Entry $Entry -MarginSec (Get-EntraAuthRefreshMargin)
        # The margin setting RenewAfter was computed with: a new value is looked at on the next read.
        Margin      = $global:EntraAuthRefreshMarginSec
    }
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

function Update-EntraAuthLiveGlobals {
    <#
    .SYNOPSIS
        The breakpoint action: a date comparison while the token is fresh; near expiry, a silent renewal (refresh token,
        or the same credential again) written into the globals that EntraAuth set and nobody changed since.
    #>
    [CmdletBinding()]
    param()

    $live = $script:EntraAuthLive
    if ($null -eq $live -or ([DateTime]::UtcNow -lt $live.RenewAfter -and $global:EntraAuthRefreshMarginSec -eq $live.Margin)) { return }
    try {
        if (-not (Test-EntraAuthLiveGlobalsEnabled)) { return }
        $ownsToken = $global:MicrosoftEntraIDAccessToken -is [string] -and $global:MicrosoftEntraIDAccessToken -ceq $live.AccessToken
        $ownsHeader = $null -ne $live.Header -and [object]::ReferenceEquals($global:MicrosoftEntraIDHeader, $live.Header)
        $entry = $script:EntraAuthTokenCache[$live.Key]
        if ((-not $ownsToken -and -not $ownsHeader) -or $null -eq $entry) {
            # A script put its own values there, or the cache was cleared: leave the globals alone from now on.
            $script:EntraAuthLive = $null
            return
        }
        $live.Margin = $global:EntraAuthRefreshMarginSec
        $margin = Get-EntraAuthRefreshMargin
        if (Test-EntraAuthEntryFresh -Entry $entry -MarginSec $margin) {
            # Fresh under the margin now in force; the cache may also hold a token renewed by a call meanwhile.
            $live.RenewAfter = Get-EntraAuthRenewTime -Entry $entry -MarginSec $margin
            if ("$($entry.Token.TokenType) $($entry.Token)" -ceq $live.AccessToken) { return }
        }
        else {
            $entry = Save-EntraAuthCacheEntry -Recipe $entry.Recipe -Token (Invoke-EntraAuthRenewal -Entry $entry)
        }
        $value = "$($entry.Token.TokenType) $($entry.Token)"
        if ($ownsToken) { $global:MicrosoftEntraIDAccessToken = $value }
        if ($ownsHeader) {
            $live.Header['Authorization'] = $value
            $live.Header.PSObject.Properties['ExpiresOn'].Value = $entry.Token.ExpiresOn
        }
        $live.AccessToken = $value
        $live.RenewAfter = Get-EntraAuthRenewTime -Entry $entry -MarginSec $margin
        Write-Verbose -Message ('EntraAuth renewed the globals: ' + (Format-EntraAuthTokenFacts -Token $entry.Token -Source 'a silent renewal'))
    }
    catch [System.Management.Automation.PipelineStoppedException] {
        throw
    }
    catch {
        $live.RenewAfter = [DateTime]::UtcNow.AddSeconds($script:EntraAuthLiveRetrySec)
        Write-Warning -Message "EntraAuth could not renew `$MicrosoftEntraIDHeader and `$MicrosoftEntraIDAccessToken, which keep their token until it expires; it tries again in $($script:EntraAuthLiveRetrySec) s. $($_.Exception.Message)"
    }
}
