# Run by liveGlobals.test.ts in a fresh pwsh: Build- once, then a loop that only uses $global:MicrosoftEntraIDHeader.
param(
    [Parameter(Mandatory)] [string] $TenantId,
    [Parameter(Mandatory)] [string] $ClientId,
    [Parameter(Mandatory)] [string] $SecretFile,
    [Parameter(Mandatory)] [double] $Seconds,
    # Not given: the default margin (300 s).
    [double] $RefreshMarginSec = -1
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1')
if ($RefreshMarginSec -ge 0) { $global:EntraAuthRefreshMarginSec = $RefreshMarginSec }
Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $TenantId -ClientId $ClientId -ClientSecret (Get-Content -Raw -LiteralPath $SecretFile) 6>$null | Out-Null

$api = "$env:AZURE_AUTHORITY_HOST/_emulator/api/me"
$calls = 0; $unauthorized = 0; $expiries = @{}
$watch = [System.Diagnostics.Stopwatch]::StartNew()
while ($watch.Elapsed.TotalSeconds -lt $Seconds) {
    try {
        $me = Invoke-RestMethod -Uri $api -Headers $global:MicrosoftEntraIDHeader
        $expiries["$($me.exp)"] = $true
    }
    catch {
        if ($_.Exception.Response.StatusCode.value__ -ne 401) { throw }
        $unauthorized++
    }
    $calls++
    Start-Sleep -Milliseconds 50
}
[pscustomobject]@{ calls = $calls; unauthorized = $unauthorized; tokensSeen = $expiries.Count } | ConvertTo-Json -Compress
