# Managed identity from each source and workload identity federation, by pointing the documented variables at the emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $mi = Get-EmulatorManagedIdentity
    $endpoints = $mi.Endpoints
    $identities = $mi.Fixture
    $user = $identities.userAssigned[0]
    $app = Get-TestApp -Name 'automation'
    $federation = Get-Content -Raw (Join-Path $PSScriptRoot '../fixtures/federation.json') | ConvertFrom-Json
    $sourceVariables = 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IDENTITY_SERVER_THUMBPRINT', 'IMDS_ENDPOINT', 'MSI_ENDPOINT', 'MSI_SECRET',
    'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
    $imdsHost = $env:AZURE_POD_IDENTITY_AUTHORITY_HOST

    function Set-TestEnvironment([hashtable] $Variables) {
        foreach ($name in $sourceVariables) { Remove-Item -Path "Env:$name" -ErrorAction SilentlyContinue }
        $env:AZURE_POD_IDENTITY_AUTHORITY_HOST = $imdsHost
        foreach ($name in $Variables.Keys) { Set-Item -Path "Env:$name" -Value $Variables[$name] }
    }
}

AfterAll {
    Set-TestEnvironment @{}
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'Managed identity from <Name>' -ForEach @(
    @{ Name = 'App Service / Functions / Automation'; Variables = { @{ IDENTITY_ENDPOINT = $endpoints.appServiceEndpoint; IDENTITY_HEADER = $identities.identityHeader } }; UserAssigned = $true }
    @{ Name = 'an Azure VM (IMDS)'; Variables = { @{} }; UserAssigned = $true }
    @{ Name = 'Azure Arc'; Variables = { @{ IDENTITY_ENDPOINT = $endpoints.arcEndpoint; IMDS_ENDPOINT = $endpoints.url } }; UserAssigned = $false }
    @{ Name = 'Cloud Shell'; Variables = { @{ MSI_ENDPOINT = $endpoints.cloudShellEndpoint } }; UserAssigned = $false }
    @{ Name = 'Service Fabric'; Variables = { @{ IDENTITY_ENDPOINT = $endpoints.serviceFabricEndpoint; IDENTITY_HEADER = $identities.serviceFabricSecret; IDENTITY_SERVER_THUMBPRINT = $endpoints.serviceFabricThumbprint } }; UserAssigned = $false }
    @{ Name = 'Azure Machine Learning'; Variables = { @{ MSI_ENDPOINT = $endpoints.machineLearningEndpoint; MSI_SECRET = $identities.machineLearningSecret } }; UserAssigned = $true }
) {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Set-TestEnvironment (& $Variables) }

    It 'system-assigned: a header with no tenant and no secret' {
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -ManagedIdentity -Scope https://management.azure.com 6>$null
        $me = Test-EmulatorToken -Authorization $header.Authorization
        $me.appId | Should -Be $identities.systemAssigned.clientId
        $me.aud | Should -Be 'https://management.azure.com'
        $global:MicrosoftEntraIDHeader.Authorization | Should -BeExactly $header.Authorization
    }

    It 'user-assigned by client id' {
        if (-not $UserAssigned) {
            { Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity -ClientId $user.clientId } | Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,Get-MicrosoftEntraIDApplicationAccessToken' -ExpectedMessage '*cannot use the user-assigned identity*'
            return
        }
        $token = Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity -ClientId $user.clientId 6>$null
        $token.ClientId | Should -Be $user.clientId
        (Test-EmulatorToken -Authorization "Bearer $token").appId | Should -Be $user.clientId
    }
}

Describe 'User-assigned by object id and resource id' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache }   # each test asks Entra, not the session cache
    It '<Name>' -ForEach @(
        @{ Name = 'IMDS by resource id'; Variables = @{}; Parameters = { @{ ManagedIdentityResourceId = $user.resourceId } } }
        @{ Name = 'IMDS by object id'; Variables = @{}; Parameters = { @{ ManagedIdentityObjectId = $user.objectId } } }
        @{ Name = 'App Service by object id'; Variables = 'appService'; Parameters = { @{ ManagedIdentityObjectId = $user.objectId } } }
    ) {
        $variables = if ($Variables -eq 'appService') { @{ IDENTITY_ENDPOINT = $endpoints.appServiceEndpoint; IDENTITY_HEADER = $identities.identityHeader } } else { @{} }
        Set-TestEnvironment $variables
        $parameters = & $Parameters
        $token = Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity @parameters 6>$null
        $token.ClientId | Should -Be $user.clientId
    }
}

Describe 'A busy IMDS' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Set-TestEnvironment @{}; Reset-Emulator }

    It 'finding 11: -ManagedIdentity waits for an IMDS that answers after 2.5 s (no 1 s probe when asked for explicitly)' {
        Add-EmulatorFault -Path managedIdentity -Responses @(@{ kind = 'delay'; ms = 2500 })
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -ManagedIdentity -Scope https://management.azure.com 6>$null
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2.4
        (Test-EmulatorToken -Authorization $header.Authorization).appId | Should -Be $identities.systemAssigned.clientId
    }
}

Describe 'No managed identity here' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache }   # each test asks Entra, not the session cache
    BeforeAll {
        # A port that accepts connections and never answers, as 169.254.169.254 behaves off Azure.
        $blackhole = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $blackhole.Start()
    }
    AfterAll { $blackhole.Stop() }

    It 'fails at -TimeoutSec, listing what was checked' {
        Set-TestEnvironment @{ AZURE_POD_IDENTITY_AUTHORITY_HOST = "http://127.0.0.1:$($blackhole.LocalEndpoint.Port)" }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $record = $null
        try { Build-MicrosoftEntraIDApplicationAccessHeader -ManagedIdentity -TimeoutSec 2 } catch { $record = $_ }
        $watch.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 4
        $record.FullyQualifiedErrorId | Should -Be 'EntraAuth.ERR_CREDENTIAL_UNAVAILABLE,Build-MicrosoftEntraIDApplicationAccessHeader'
        $record.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        foreach ($fact in 'Service Fabric', 'IDENTITY_ENDPOINT, IDENTITY_HEADER', 'MSI_ENDPOINT', 'Azure Arc', 'IMDS at', 'no answer within 2 s', 'Fix: ') {
            $record.Exception.Message | Should -BeLike "*$fact*"
        }
    }
}

Describe 'Workload identity federation' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Set-TestEnvironment @{} }

    It 'a federated token file, relative to the PowerShell location' {
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-wi-" + [guid]::NewGuid())
        New-Item -ItemType Directory -Path $folder | Out-Null
        Push-Location $folder
        try {
            Set-Content -Path 'token' -Value (New-EmulatorFederatedToken -Subject 'system:serviceaccount:automation:runner') -NoNewline
            $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -FederatedTokenFile ./token 6>$null
            $token.ClientId | Should -Be $app.ClientId
        }
        finally {
            Pop-Location
            Remove-Item -Recurse -Force $folder
        }
    }

    It 'the Kubernetes variables with -WorkloadIdentity, and with -ManagedIdentity as @azure/identity does' {
        $file = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-wi-" + [guid]::NewGuid())
        Set-Content -Path $file -Value (New-EmulatorFederatedToken -Subject 'system:serviceaccount:automation:runner') -NoNewline
        try {
            Set-TestEnvironment @{ AZURE_FEDERATED_TOKEN_FILE = $file; AZURE_TENANT_ID = $app.TenantId; AZURE_CLIENT_ID = $app.ClientId }
            (Get-MicrosoftEntraIDApplicationAccessToken -WorkloadIdentity 6>$null).ClientId | Should -Be $app.ClientId
            (Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity 6>$null).ClientId | Should -Be $app.ClientId
        }
        finally { Remove-Item -Force $file }
    }

    It 'a -ClientAssertion script block, run anew for each token' {
        $script:calls = 0
        $assertion = { $script:calls++; New-EmulatorFederatedToken -Subject 'system:serviceaccount:automation:runner' }
        Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientAssertion $assertion 6>$null | Out-Null
        # -Force: a new token (the session cache would return the first), so the script block runs again.
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientAssertion $assertion -Force 6>$null
        $script:calls | Should -Be 2
        (Test-EmulatorToken -Authorization $header.Authorization).appId | Should -Be $app.ClientId
    }

    It 'a -ClientAssertion string the app does not trust: AADSTS700213 and the fix' {
        $wrong = New-EmulatorFederatedToken -Subject 'system:serviceaccount:other:x'
        { Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientAssertion $wrong } |
            Should -Throw -ErrorId 'EntraAuth.ERR_AUTH_FAILED,Get-MicrosoftEntraIDApplicationAccessToken' -ExpectedMessage '*AADSTS700213*Fix:*subject*'
    }

    It 'the GitHub Actions variables' {
        Set-TestEnvironment @{
            ACTIONS_ID_TOKEN_REQUEST_URL   = "$(Get-EmulatorUrl)/_emulator/github/token?api-version=2.0"
            ACTIONS_ID_TOKEN_REQUEST_TOKEN = $federation.githubRequestToken
            AZURE_TENANT_ID                = $app.TenantId
            AZURE_CLIENT_ID                = $app.ClientId
        }
        $all = Get-MicrosoftEntraIDApplicationAccessToken -WorkloadIdentity -Verbose 4>&1 6>$null
        $token = $all | Where-Object { $_.PSObject.TypeNames -contains 'EntraAuth.AccessToken' }
        $token.ClientId | Should -Be $app.ClientId
        ($all | Out-String) | Should -Not -Match ([regex]::Escape($federation.githubRequestToken))
    }

    It 'nothing to exchange: a clear error naming what was checked' {
        { Get-MicrosoftEntraIDApplicationAccessToken -WorkloadIdentity -TenantId $app.TenantId -ClientId $app.ClientId } |
            Should -Throw -ErrorId 'EntraAuth.ERR_CREDENTIAL_UNAVAILABLE,Get-MicrosoftEntraIDApplicationAccessToken' -ExpectedMessage '*AZURE_FEDERATED_TOKEN_FILE: not set*GitHub Actions*'
    }
}
