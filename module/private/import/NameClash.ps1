# At import: another module named EntraAuth (the PowerShell Gallery's is a different one), or another command under the
# name of one of ours, would make a script run something else than this module.

function Get-EntraAuthOwnIdentity {
    # Name, version, GUID and path of this module, from its manifest (while the module script runs, PowerShell has not
    # set them yet). Read only when there is something to warn about.
    param([Parameter(Mandatory)] [string] $ModuleScript)
    $manifestPath = Join-Path -Path (Split-Path -Parent (Split-Path -Parent $ModuleScript)) -ChildPath 'EntraAuth.psd1'
    $identity = [pscustomobject]@{ Version = 'unknown'; Guid = $null; Path = $ModuleScript }
    try {
        $manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
        $identity.Version = [string]$manifest.ModuleVersion
        $identity.Guid = [guid]$manifest.GUID
    }
    catch { Write-Verbose -Message "EntraAuth could not read its manifest $manifestPath ($($_.Exception.Message))." }
    $identity
}

function Get-EntraAuthNameClash {
    <#
    .SYNOPSIS
        Returns one warning text when another module named EntraAuth (another GUID) is loaded, or when a name of this
        module's commands also belongs to another module, an alias or a function defined outside it; else nothing.
    .PARAMETER ModuleScript
        The path of this module's EntraAuth.psm1.
    .PARAMETER CommandName
        The names this module exports.
    #>
    # Not an advanced function: an import pays the first compile of one.
    param([Parameter(Mandatory)] [string] $ModuleScript, [Parameter(Mandatory)] [string[]] $CommandName)

    # Loops, not Where-Object: this runs at every import, and a pipeline's first use costs more than the lookup.
    $others = @(foreach ($module in (Get-Module -Name 'EntraAuth')) { if ($module.Path -ne $ModuleScript) { $module } })
    # The commands of these names as a caller's global scope sees them: from here this module's own would hide them, so
    # asked from an empty module whose parent is the global scope. Only what is loaded: searching every module on
    # PSModulePath would slow each import down.
    $globalView = [System.Management.Automation.PSModuleInfo]::new($false)
    # The engine's own lookup, one name at a time (what a call by that name would run first), not Get-Command -All: that
    # cmdlet's first use costs an import far more.
    $found = & $globalView {
        param([string[]] $Names)
        $PSModuleAutoLoadingPreference = 'None'
        $types = [System.Management.Automation.CommandTypes]'Alias, Function, Cmdlet'
        foreach ($name in $Names) { $ExecutionContext.InvokeCommand.GetCommand($name, $types) }
    } $CommandName
    $commands = @(foreach ($command in $found) {
            if ($null -eq $command) { continue }
            $foreign = $command.CommandType -eq 'Alias' -or $null -eq $command.Module
            if ($foreign -or $command.Module.Path -ne $ModuleScript) { $command }
        })
    if ($others.Count -eq 0 -and $commands.Count -eq 0) { return }

    $own = Get-EntraAuthOwnIdentity -ModuleScript $ModuleScript
    $others = @($others | Where-Object { $_.Guid -ne $own.Guid -or $null -eq $own.Guid })
    $lines = @()
    foreach ($other in $others) {
        $lines += ("Another module named EntraAuth is loaded: version $($other.Version) (GUID $($other.Guid), " +
            "$($other.Path)). It is not this module, EntraAuth $($own.Version) (GUID $($own.Guid), $($own.Path)): " +
            "the PowerShell Gallery's EntraAuth is a different module with other commands.")
    }
    foreach ($command in $commands) {
        $where = if ($command.CommandType -eq 'Alias') { "an alias for $($command.Definition)" }
        elseif ($null -eq $command.Module) { 'a function defined outside any module (a copied script?)' }
        else { "module $($command.Module.Name) $($command.Module.Version) ($($command.Module.Path))" }
        $lines += ("$($command.Name) is also ${where}: a call by that name may run it instead of " +
            "EntraAuth $($own.Version) ($($own.Path)).")
    }
    if ($lines.Count -eq 0) { return }
    $require = "#Requires -Modules @{ ModuleName = 'EntraAuth'; GUID = '$($own.Guid)'; " +
        "ModuleVersion = '$($own.Version)' }"
    ($lines -join ' ') + ' To be sure a script gets this one: Import-Module by path, ' +
        "Import-Module EntraAuth -RequiredVersion $($own.Version), or $require (README, Install)."
}
