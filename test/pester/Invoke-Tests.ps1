# Runs every *.Tests.ps1 here with the given Pester and ends with a "N passed, N failed" line.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [string[]] $Path = @($PSScriptRoot),
    [string] $FullNameFilter,
    # Inquire: the whole run as under Windows PowerShell 5.1's -Debug in a host that cannot prompt (this runner is
    # -NonInteractive). npm test runs one call per flow this way (DebugInquire.Tests.ps1); this runs every test so.
    [ValidateSet('SilentlyContinue', 'Inquire')] [string] $TestDebugPreference = 'SilentlyContinue'
)

$ErrorActionPreference = 'Stop'
Import-Module -Name $PesterPath -Force
if ($TestDebugPreference -ne 'SilentlyContinue') {
    Write-Host "Every test runs with `$DebugPreference = '$TestDebugPreference'."
    $global:DebugPreference = $TestDebugPreference
}

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
if ($FullNameFilter) { $configuration.Filter.FullName = $FullNameFilter }

$result = Invoke-Pester -Configuration $configuration
Write-Host ''
Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $result.PassedCount, $result.FailedCount, $result.SkippedCount)
if ($result.FailedCount -gt 0 -or $result.TotalCount -eq 0) { exit 1 }
exit 0
