# One warm session of the benchmark: build/bench.mjs starts one per implementation and asks each in turn (A B C A B C
# ...), so a slow moment of the machine hits all alike. Reads one command per line on stdin, answers one line:
#   warm    ms of one call that gets a new token (EntraAuth with -Force, as the seed always asks Entra)
#   cached  ms per call of the second identical call (EntraAuth: the session cache; the seed asks again), mean of a batch
#   floor   ms per call of an empty advanced function with the cmdlet's parameter block that returns a hashtable
#   memory  the resident core's peak resident set (VmHWM) in MiB, 0 for the seed
param(
    [Parameter(Mandatory)] [ValidateSet('Seed', 'Executable', 'Node')] [string] $Implementation,
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Batch = 20
)
$ErrorActionPreference = 'Stop'

$directory = Get-Content -Raw (Join-Path $PSScriptRoot '../fixtures/directory.json') | ConvertFrom-Json
$tenantId = $directory.tenants[0].id; $clientId = $directory.tenants[0].apps[0].clientId; $secret = $directory.tenants[0].apps[0].secrets[0].value

if ($Implementation -eq 'Seed') {
    Import-Module (Join-Path $PSScriptRoot 'SeedFunctions.psm1')
    Set-SeedLoginHost -Uri $env:ENTRAAUTH_TEST_EMULATOR
    $warm = { Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret | Out-Null }
    $cached = $warm
}
else {
    $env:ENTRAAUTH_CORE = $Implementation.ToLowerInvariant()
    Import-Module $ModulePath
    $warm = { Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret -Force 6>$null | Out-Null }
    $cached = { Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret 6>$null | Out-Null }
}

# The floor: the packaged cmdlet's own parameter block (the same binding work), and a body that only returns a hashtable.
$floor = { }
if ($Implementation -ne 'Seed') {
    $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command -Name Build-MicrosoftEntraIDApplicationAccessHeader -Module EntraAuth))
    $binding = [System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($metadata)
    $parameters = [System.Management.Automation.ProxyCommand]::GetParamBlock($metadata)
    Set-Item -Path Function:\Invoke-BenchFloor -Value ([scriptblock]::Create("$binding`nparam($parameters)`n@{ Authorization = 'Bearer x' }"))
    $floor = { Invoke-BenchFloor -tenantid $tenantId -clientid $clientId -clientSecret $secret 6>$null | Out-Null }
}

function Measure-Batch([scriptblock] $Block, [int] $Count) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    for ($i = 0; $i -lt $Count; $i++) { . $Block }
    $watch.Elapsed.TotalMilliseconds / $Count
}

# Warm-up: the first call of each (a token for the cache, the core started, everything compiled).
. $warm; . $cached; . $floor
[Console]::Out.WriteLine('ready')
while ($null -ne ($command = [Console]::In.ReadLine()) -and $command -ne 'quit') {
    $answer = switch ($command) {
        'warm' { Measure-Batch $warm 1 }
        'cached' { Measure-Batch $cached $Batch }
        'floor' { Measure-Batch $floor $Batch }
        'memory' {
            $corePid = if ($Implementation -ne 'Seed') { & (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id } }
            $peak = if ($corePid) { Get-Content "/proc/$corePid/status" | Where-Object { $_ -like 'VmHWM:*' } }
            if ($peak) { [double](($peak -split '\s+')[1]) / 1024 } else { 0 }
        }
        default { throw "unknown command '$command'" }
    }
    [Console]::Out.WriteLine(([double]$answer).ToString('R', [cultureinfo]::InvariantCulture))
}
