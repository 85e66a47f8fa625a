# The benchmark: medians of Import-Module, first header in a fresh pwsh, and a header in a warm session,
# for the seed functions (baseline) and for EntraAuth, with ratios against the baseline of the same run.
param(
    [Parameter(Mandatory)] [string] $Pwsh,
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

$results = [ordered]@{}
foreach ($implementation in 'Seed', 'EntraAuth') {
    $imports = @(); $firsts = @()
    for ($i = 0; $i -lt $FreshRuns; $i++) {
        $line = & $Pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Invoke-FirstCall.ps1') -Implementation $implementation
        if ($LASTEXITCODE -ne 0) { throw "first call of $implementation failed: $line" }
        $parts = ([string]$line).Trim() -split ' '
        $imports += [double]$parts[0]; $firsts += [double]$parts[1]
    }
    $results[$implementation] = @{ Import = Get-Median $imports; First = Get-Median $firsts }
}

$directory = Get-Content -Raw (Join-Path $PSScriptRoot '../fixtures/directory.json') | ConvertFrom-Json
$tenantId = $directory.tenants[0].id; $clientId = $directory.tenants[0].apps[0].clientId; $secret = $directory.tenants[0].apps[0].secrets[0].value

$seed = Import-Module (Join-Path $PSScriptRoot 'SeedFunctions.psm1') -Prefix Seed -PassThru
Set-SeedSeedLoginHost -Uri $env:ENTRAAUTH_TEST_EMULATOR
Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1')
$calls = @{
    Seed      = { Build-SeedMicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret | Out-Null }
    EntraAuth = { Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret 6>$null | Out-Null }
}
foreach ($implementation in 'Seed', 'EntraAuth') {
    & $calls[$implementation]   # warm-up
    $times = for ($i = 0; $i -lt $WarmRuns; $i++) { (Measure-Command -Expression $calls[$implementation]).TotalMilliseconds }
    $results[$implementation].Warm = Get-Median $times
}
Remove-Module $seed

$rows = foreach ($metric in @(
        @{ Key = 'Import'; Label = 'Import-Module' }
        @{ Key = 'First'; Label = 'First header, fresh pwsh (import included)' }
        @{ Key = 'Warm'; Label = 'Header in a warm session' }
    )) {
    $baseline = $results.Seed[$metric.Key]; $ours = $results.EntraAuth[$metric.Key]
    [pscustomobject]@{
        Measure          = $metric.Label
        'Seed ms'        = '{0:F1}' -f $baseline
        'EntraAuth ms'   = '{0:F1}' -f $ours
        'Ratio vs seed'  = '{0:F2}x' -f ($ours / [math]::Max($baseline, 0.001))
    }
}
"Medians of $FreshRuns fresh pwsh runs and $WarmRuns warm calls, against the local emulator over HTTPS."
$rows | Format-Table -AutoSize | Out-String -Width 200
