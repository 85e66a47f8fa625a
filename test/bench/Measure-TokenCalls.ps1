# The benchmark: medians of Import-Module, first header in a fresh pwsh, a new header in a warm session, and a second
# identical call (EntraAuth: from its session cache; the seed has none and asks again), and the core's peak memory, for the seed functions
# (baseline) and EntraAuth through its single executable and through node with the bundle, with ratios against the
# baseline of the same run.
param(
    [Parameter(Mandatory)] [string] $Pwsh,
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $FreshRuns = 7,
    [int] $WarmRuns = 25
)
$ErrorActionPreference = 'Stop'

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $middle = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$middle] }
    ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

$implementations = 'Seed', 'Executable', 'Node'
$results = [ordered]@{}
foreach ($implementation in $implementations) { $results[$implementation] = @{ Import = @(); ImportAfterOutput = @(); First = @() } }
# Interleaved and rotated, so neither a slow moment of the machine nor the order favours one implementation.
for ($i = 0; $i -lt $FreshRuns; $i++) {
    foreach ($k in 0..($implementations.Count - 1)) {
        $implementation = $implementations[($i + $k) % $implementations.Count]
        $line = & $Pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Invoke-FirstCall.ps1') -Implementation $implementation -ModulePath $ModulePath
        if ($LASTEXITCODE -ne 0) { throw "first call of $implementation failed: $line" }
        $parts = ([string]$line).Trim() -split ' '
        $results[$implementation].Import += [double]$parts[0]; $results[$implementation].First += [double]$parts[1]
        $line = & $Pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Invoke-FirstCall.ps1') -Implementation $implementation -ModulePath $ModulePath -AfterFirstOutput
        if ($LASTEXITCODE -ne 0) { throw "first call of $implementation failed: $line" }
        $results[$implementation].ImportAfterOutput += [double](([string]$line).Trim() -split ' ')[0]
    }
}
foreach ($implementation in $implementations) {
    foreach ($key in 'Import', 'ImportAfterOutput', 'First') { $results[$implementation][$key] = Get-Median $results[$implementation][$key] }
}

$directory = Get-Content -Raw (Join-Path $PSScriptRoot '../fixtures/directory.json') | ConvertFrom-Json
$tenantId = $directory.tenants[0].id; $clientId = $directory.tenants[0].apps[0].clientId; $secret = $directory.tenants[0].apps[0].secrets[0].value

$seed = Import-Module (Join-Path $PSScriptRoot 'SeedFunctions.psm1') -Prefix Seed -PassThru
Set-SeedSeedLoginHost -Uri $env:ENTRAAUTH_TEST_EMULATOR
Import-Module $ModulePath
# -Force: a new token from Entra each time, as the seed gets; without it the same call is answered by the session cache.
$ours = { Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret -Force 6>$null | Out-Null }
$oursCached = { Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret 6>$null | Out-Null }
$seedCall = { Build-SeedMicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret | Out-Null }
$calls = @{ Seed = $seedCall; Executable = $ours; Node = $ours }
$secondCalls = @{ Seed = $seedCall; Executable = $oursCached; Node = $oursCached }
foreach ($implementation in $implementations) {
    if ($implementation -ne 'Seed') { $env:ENTRAAUTH_CORE = $implementation.ToLowerInvariant() }
    & $calls[$implementation]   # warm-up
    $times = for ($i = 0; $i -lt $WarmRuns; $i++) { (Measure-Command -Expression $calls[$implementation]).TotalMilliseconds }
    $results[$implementation].Warm = Get-Median $times
    $times = for ($i = 0; $i -lt $WarmRuns; $i++) { (Measure-Command -Expression $secondCalls[$implementation]).TotalMilliseconds }
    $results[$implementation].Cached = Get-Median $times
    # The resident core's peak resident set (VmHWM) after all those calls; the seed has no core.
    $corePid = if ($implementation -ne 'Seed') { & (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id } }
    $peak = if ($corePid) { Get-Content "/proc/$corePid/status" | Where-Object { $_ -like 'VmHWM:*' } }
    $results[$implementation].PeakMiB = if ($peak) { [double](($peak -split '\s+')[1]) / 1024 } else { 0 }
}
$env:ENTRAAUTH_CORE = $null
Remove-Module $seed

$rows = foreach ($metric in @(
        @{ Key = 'Import'; Label = 'Import-Module, fresh pwsh' }
        @{ Key = 'ImportAfterOutput'; Label = 'Import-Module, after the first output' }
        @{ Key = 'First'; Label = 'First header, fresh pwsh (import included)' }
        @{ Key = 'Warm'; Label = 'New header in a warm session (EntraAuth -Force)' }
        @{ Key = 'Cached'; Label = 'Second identical call (EntraAuth: session cache)' }
    )) {
    $baseline = $results.Seed[$metric.Key]
    [pscustomobject]@{
        Measure             = $metric.Label
        'Seed ms'           = '{0:F1}' -f $baseline
        'Executable ms'     = '{0:F1}' -f $results.Executable[$metric.Key]
        'vs seed'           = '{0:F2}x' -f ($results.Executable[$metric.Key] / [math]::Max($baseline, 0.001))
        'Node + bundle ms'  = '{0:F1}' -f $results.Node[$metric.Key]
        'vs seed '          = '{0:F2}x' -f ($results.Node[$metric.Key] / [math]::Max($baseline, 0.001))
    }
}
"Medians of $FreshRuns fresh pwsh runs (each way) and $WarmRuns warm calls, against the local emulator over HTTPS."
"'After the first output': the session has shown something before, so PowerShell's one-time start of its formatting system (which the first Format/Out command of any session pays) is not counted."
"EntraAuth: the packaged module $ModulePath; Executable = its single executable for this platform, Node + bundle = node $(& node --version 2>$null) with bin/entraauth.mjs."
"Second identical call: the seed asks Entra again; EntraAuth answers from its session cache, $('{0:F3}' -f ($results.Executable.Cached / [math]::Max($results.Executable.Warm, 0.001)))x (executable) and $('{0:F3}' -f ($results.Node.Cached / [math]::Max($results.Node.Warm, 0.001)))x (node) of its time for a new token."
"Core peak memory (VmHWM of the resident core after $(2 * $WarmRuns + 1) calls): executable $('{0:F1}' -f $results.Executable.PeakMiB) MiB, node + bundle $('{0:F1}' -f $results.Node.PeakMiB) MiB."
$rows | Format-Table -AutoSize | Out-String -Width 200
