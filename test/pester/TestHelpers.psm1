# Helpers for the Pester tests: the fake directory, the emulator's admin API, and process inspection.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-TestDirectory {
    # The fake tenants, apps and secrets the emulator serves (test/fixtures/directory.json).
    Get-Content -Raw -LiteralPath (Join-Path $script:RepoRoot 'test/fixtures/directory.json') | ConvertFrom-Json
}

function Get-TestApp {
    param([Parameter(Mandatory)] [string] $Name)
    $directory = Get-TestDirectory
    $tenant = $directory.tenants | Where-Object { $_.apps.name -contains $Name } | Select-Object -First 1
    $app = $tenant.apps | Where-Object name -EQ $Name
    [pscustomobject]@{ TenantId = $tenant.id; Domain = $tenant.domains[0]; ClientId = $app.clientId; Secrets = $app.secrets; App = $app }
}

function Get-EmulatorUrl {
    if (-not $env:ENTRAAUTH_TEST_EMULATOR) { throw 'ENTRAAUTH_TEST_EMULATOR is not set: run the tests with "npm run test:pester".' }
    $env:ENTRAAUTH_TEST_EMULATOR
}

function Invoke-EmulatorAdmin {
    # Calls the emulator's admin API. .NET trusts the emulator's throwaway CA through SSL_CERT_FILE (build/tools.mjs).
    param([string] $Method = 'GET', [Parameter(Mandatory)] [string] $Path, [object] $Body)
    $parameters = @{ Method = $Method; Uri = "$(Get-EmulatorUrl)/_emulator/$Path" }
    if ($null -ne $Body) {
        $parameters.Body = ConvertTo-Json -InputObject $Body -Depth 5 -Compress
        $parameters.ContentType = 'application/json'
    }
    Invoke-RestMethod @parameters
}

function Reset-Emulator { [void](Invoke-EmulatorAdmin -Method POST -Path 'reset') }

function Add-EmulatorFault {
    param([string] $ClientId, [Parameter(Mandatory)] [object[]] $Responses)
    $body = @{ path = 'token'; responses = $Responses }
    if ($ClientId) { $body.clientId = $ClientId }
    [void](Invoke-EmulatorAdmin -Method POST -Path 'faults' -Body $body)
}

function Get-EmulatorTokenRequests {
    param([string] $ClientId)
    $path = 'requests'
    if ($ClientId) { $path += "?clientId=$ClientId" }
    # Invoke-RestMethod in pwsh 7 emits a JSON array as one object: assign, then pipe to enumerate it.
    $requests = Invoke-EmulatorAdmin -Path $path
    $requests | Where-Object { $_.path -like '*/oauth2/v2.0/token' }
}

function New-EmulatorRefreshToken {
    param([Parameter(Mandatory)] [string] $TenantId, [Parameter(Mandatory)] [string] $ClientId, [string[]] $Scopes = @('https://graph.microsoft.com/.default', 'offline_access'))
    (Invoke-EmulatorAdmin -Method POST -Path 'refresh-tokens' -Body @{ tenantId = $TenantId; clientId = $ClientId; scopes = $Scopes }).refresh_token
}

function Test-EmulatorToken {
    # Asks the emulator's protected API whether a bearer token is valid; returns what it saw in it.
    param([Parameter(Mandatory)] [string] $Authorization)
    Invoke-RestMethod -Uri "$(Get-EmulatorUrl)/_emulator/api/me" -Headers @{ Authorization = $Authorization }
}

Export-ModuleMember -Function *
