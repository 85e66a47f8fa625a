# Demo against the local emulator: the seed page's call, unchanged, then what the header holds.
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $root 'EntraAuth.psd1')

# The fake app of the emulator's directory (test/fixtures/directory.json).
$directory = Get-Content -Raw (Join-Path $root 'test/fixtures/directory.json') | ConvertFrom-Json
$tenantId = $directory.tenants[0].id
$ClientId = $directory.tenants[0].apps[0].clientId
$ClientSecret = $directory.tenants[0].apps[0].secrets[0].value

Write-Host '> Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantid -clientid $clientid -clientSecret $clientSecret' -ForegroundColor Cyan
Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantid -clientid $clientid -clientSecret $clientSecret

Write-Host "`n> `$global:MicrosoftEntraIDHeader   # displayed redacted; Invoke-RestMethod -Headers gets the real value" -ForegroundColor Cyan
$global:MicrosoftEntraIDHeader | Out-Host

Write-Host '> Get-MicrosoftEntraIDApplicationAccessToken $tenantId $ClientId $ClientSecret   # what the token is for' -ForegroundColor Cyan
Get-MicrosoftEntraIDApplicationAccessToken $tenantId $ClientId $ClientSecret 6>$null | Out-Host

Write-Host '> Invoke-RestMethod -Uri <emulator>/_emulator/api/me -Headers $global:MicrosoftEntraIDHeader' -ForegroundColor Cyan
Invoke-RestMethod -Uri "$env:ENTRAAUTH_TEST_EMULATOR/_emulator/api/me" -Headers $global:MicrosoftEntraIDHeader | Format-List | Out-Host

Write-Host '> A wrong secret fails at once, with the AADSTS code and what to fix:' -ForegroundColor Cyan
try { Build-MicrosoftEntraIDApplicationAccessHeader $tenantId $ClientId 'wrong-secret' }
catch { Write-Host $_.Exception.Message -ForegroundColor Yellow }
