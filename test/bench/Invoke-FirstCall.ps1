# Run in a fresh pwsh by the benchmark: Import-Module and the first header, timed from inside the process.
param(
    [ValidateSet('Seed', 'Executable', 'Node')] [string] $Implementation,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../EntraAuth.psd1'),
    # Show something first, as a session has by then: the formatting system's one-time start is not counted.
    [switch] $AfterFirstOutput
)

$directory = Get-Content -Raw (Join-Path $PSScriptRoot '../fixtures/directory.json') | ConvertFrom-Json
$tenantId = $directory.tenants[0].id; $clientId = $directory.tenants[0].apps[0].clientId; $secret = $directory.tenants[0].apps[0].secrets[0].value
if ($Implementation -ne 'Seed') { $env:ENTRAAUTH_CORE = $Implementation.ToLowerInvariant() }
if ($AfterFirstOutput) { $null = Get-Process -Id $PID | Out-String }

$watch = [System.Diagnostics.Stopwatch]::StartNew()
if ($Implementation -eq 'Seed') {
    Import-Module (Join-Path $PSScriptRoot 'SeedFunctions.psm1')
    Set-SeedLoginHost -Uri $env:ENTRAAUTH_TEST_EMULATOR
    $imported = $watch.Elapsed.TotalMilliseconds
    Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret | Out-Null
}
else {
    Import-Module $ModulePath
    $imported = $watch.Elapsed.TotalMilliseconds
    Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret 6>$null | Out-Null
}
$total = $watch.Elapsed.TotalMilliseconds
if (-not $global:MicrosoftEntraIDHeader.Authorization) { throw 'no header' }
'{0:F1} {1:F1}' -f $imported, $total
