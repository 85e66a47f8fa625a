# Run in a fresh pwsh by the benchmark: Import-Module and the first header, timed from inside the process, with the
# stages of EntraAuth's cold path. Prints one JSON line.
param(
    # Least: the floor of this design (LeastCall.psm1), with the core that -CoreCommand and -CoreArguments start.
    [ValidateSet('Seed', 'Executable', 'Node', 'Least')] [string] $Implementation,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../EntraAuth.psd1'),
    [string] $CoreCommand,
    [string] $CoreArguments = '',
    [int] $ProtocolVersion,
    # Show something first, as a session has by then: the formatting system's one-time start is not counted.
    [switch] $AfterFirstOutput
)

$scriptStart = [DateTime]::UtcNow
$directory = Get-Content -Raw (Join-Path $PSScriptRoot '../fixtures/directory.json') | ConvertFrom-Json
$tenantId = $directory.tenants[0].id; $clientId = $directory.tenants[0].apps[0].clientId; $secret = $directory.tenants[0].apps[0].secrets[0].value
if ($Implementation -in 'Executable', 'Node') { $env:ENTRAAUTH_CORE = $Implementation.ToLowerInvariant() }
if ($AfterFirstOutput) { $null = Get-Process -Id $PID | Out-String }

$watch = [System.Diagnostics.Stopwatch]::StartNew()
if ($Implementation -eq 'Seed') {
    Import-Module (Join-Path $PSScriptRoot 'SeedFunctions.psm1')
    Set-SeedLoginHost -Uri $env:ENTRAAUTH_TEST_EMULATOR
    $imported = $watch.Elapsed.TotalMilliseconds
    $callStart = [System.Diagnostics.Stopwatch]::GetTimestamp()
    Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret | Out-Null
}
elseif ($Implementation -eq 'Least') {
    Import-Module (Join-Path $PSScriptRoot 'LeastCall.psm1')
    $imported = $watch.Elapsed.TotalMilliseconds
    $callStart = [System.Diagnostics.Stopwatch]::GetTimestamp()
    $core = @{ CoreCommand = $CoreCommand; CoreArguments = $CoreArguments; ProtocolVersion = $ProtocolVersion }
    Get-LeastHeader @core -TenantId $tenantId -ClientId $clientId -ClientSecret $secret
}
else {
    Import-Module $ModulePath
    $imported = $watch.Elapsed.TotalMilliseconds
    $callStart = [System.Diagnostics.Stopwatch]::GetTimestamp()
    Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $clientId -clientSecret $secret 6>$null | Out-Null
}
$callEnd = [System.Diagnostics.Stopwatch]::GetTimestamp()
$total = $watch.Elapsed.TotalMilliseconds
# What the JIT did in this process up to here (pwsh's start included): IL-only assemblies pay it, ReadyToRun ones less.
$jitTime = [System.Runtime.JitInfo]::GetCompilationTime($false).TotalMilliseconds
$jitMethods = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
if (-not $global:MicrosoftEntraIDHeader.Authorization) { throw 'no header' }

function ConvertTo-Milliseconds([long] $From, [long] $To) { ($To - $From) * 1000.0 / [System.Diagnostics.Stopwatch]::Frequency }
$result = [ordered]@{
    pwshStart  = ($scriptStart - (Get-Process -Id $PID).StartTime.ToUniversalTime()).TotalMilliseconds
    import     = $imported
    first      = $total
    jit        = $jitTime
    jitMethods = $jitMethods
}
if ($Implementation -in 'Executable', 'Node') {
    # The core's start, its first message (it read the request), the envelope, as the module saw them (CoreProcess.ps1).
    $session = & (Get-Module EntraAuth) { $script:EntraAuthCoreSession }
    $result.callToSpawn = ConvertTo-Milliseconds $callStart $session.SpawnedAt
    $result.spawnToFirstByte = ConvertTo-Milliseconds $session.SpawnedAt $session.FirstByteAt
    $result.firstByteToEnvelope = ConvertTo-Milliseconds $session.FirstByteAt $session.EnvelopeAt
    $result.afterEnvelope = ConvertTo-Milliseconds $session.EnvelopeAt $callEnd
}
$result | ConvertTo-Json -Compress
