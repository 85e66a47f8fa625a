# Every failure ends in a terminating error that names the cause and the fix, within a bounded time.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $directory = Get-TestDirectory
    $app = Get-TestApp -Name 'automation'
    $secret = $app.Secrets[0].value

    function Invoke-Failing {
        # Runs the call, returns the ErrorRecord and how long it took.
        param([scriptblock] $Call)
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $record = $null
        try { & $Call 6>$null | Out-Null } catch { $record = $_ }
        $watch.Stop()
        $record | Should -Not -BeNullOrEmpty -Because 'the call must fail'
        [pscustomobject]@{ Record = $record; Seconds = $watch.Elapsed.TotalSeconds; Message = $record.Exception.Message }
    }
}

AfterAll { Remove-Module EntraAuth -ErrorAction SilentlyContinue }

Describe 'Entra refuses' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }

    It 'a wrong secret: AADSTS7000215 with the hint, within 5 s, asked once' {
        $failure = Invoke-Failing { Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $app.TenantId -clientid $app.ClientId -clientSecret 'not-the-secret' }
        $failure.Seconds | Should -BeLessThan 5
        $failure.Record.FullyQualifiedErrorId | Should -Be 'EntraAuth.ERR_AUTH_FAILED,Build-MicrosoftEntraIDApplicationAccessHeader'
        $failure.Record.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failure.Message | Should -Match 'AADSTS7000215: Invalid client secret provided'
        $failure.Message | Should -Match "Fix: .*copy the secret's Value .*not its Secret ID"
        $failure.Message | Should -Match 'Trace ID: [0-9a-f-]{36}, Correlation ID: [0-9a-f-]{36}'
        $failure.Record.Exception.Data['EntraAuth.Aadsts'] | Should -Be 'AADSTS7000215'
        $failure.Record.Exception.Data['EntraAuth.HttpStatus'] | Should -Be 401
        $failure.Record.Exception.Data['EntraAuth.CorrelationId'] | Should -Match '^[0-9a-f-]{36}$'
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).Count | Should -Be 1
    }

    It 'the Secret ID passed as the secret: the hint says so' {
        $failure = Invoke-Failing { Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $app.Secrets[0].id }
        $failure.Message | Should -Match 'AADSTS7000215'
        $failure.Message | Should -Match 'that is the Secret ID'
    }

    It 'an expired secret: AADSTS7000222' {
        $failure = Invoke-Failing { Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId ($app.Secrets | Where-Object expired).value }
        $failure.Message | Should -Match 'AADSTS7000222'
        $failure.Message | Should -Match 'Fix: .*expired.*new secret'
    }

    It 'an app that is not in the tenant: AADSTS700016' {
        $other = $directory.tenants[1].id
        $failure = Invoke-Failing { Get-MicrosoftEntraIDApplicationAccessToken $other $app.ClientId $secret }
        $failure.Message | Should -Match 'AADSTS700016'
        $failure.Message | Should -Match 'Application \(client\) ID'
    }

    It 'a tenant that does not exist: AADSTS90002 and a word on clouds' {
        $failure = Invoke-Failing { Get-MicrosoftEntraIDApplicationAccessToken $directory.unknownTenantId $app.ClientId $secret }
        $failure.Message | Should -Match 'AADSTS90002'
        $failure.Message | Should -Match '-Environment USGov or China'
    }

    It 'a resource unknown in the tenant: AADSTS500011' {
        $failure = Invoke-Failing { Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret -Scope 'https://api.unknown.example' }
        $failure.Message | Should -Match 'AADSTS500011'
    }

    It 'a refresh token that is not valid: sign in again' {
        $public = Get-TestApp -Name 'public-cli'
        $failure = Invoke-Failing { Get-MicrosoftEntraIDApplicationAccessToken $public.TenantId $public.ClientId -RefreshToken 'not-a-refresh-token' }
        $failure.Record.FullyQualifiedErrorId | Should -BeLike 'EntraAuth.ERR_AUTH_FAILED,*'
        $failure.Message | Should -Match 'AADSTS(50173|700082|9002313)'
        $failure.Message | Should -Match 'Sign in again'
    }
}

Describe 'Bad input fails before any request' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }
    AfterEach { @(Get-EmulatorTokenRequests).Count | Should -Be 0 }

    It '<name>' -ForEach @(
        @{ name = 'a malformed tenant'; call = { Build-MicrosoftEntraIDApplicationAccessHeader 'contoso/../x' $app.ClientId $secret }; message = '*neither a GUID nor a DNS name*' }
        @{ name = 'a client id that is not a GUID'; call = { Build-MicrosoftEntraIDApplicationAccessHeader $app.TenantId 'my-app' $secret }; message = '*not a GUID*' }
        @{ name = 'no secret, credential or refresh token'; call = { Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $app.TenantId -clientid $app.ClientId }; message = '*Not enough information*' }
        @{ name = 'a secret and no client id'; call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientSecret $secret }; message = '*ClientId is required*' }
        @{ name = 'a delegated scope for an app-only token'; call = { Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret -Scope 'User.Read' }; message = '*delegated permission*' }
        @{ name = 'two resources'; call = { Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret -Scope 'https://graph.microsoft.com', 'https://vault.azure.net' }; message = '*exactly one resource*' }
        @{ name = 'a plain http authority'; call = { Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret -AuthorityHost 'http://login.example.com' }; message = '*plain http*' }
        @{ name = 'the common tenant for an app-only token'; call = { Get-MicrosoftEntraIDApplicationAccessToken common $app.ClientId $secret }; message = '*names no tenant*' }
        @{ name = 'a secret that is neither string nor SecureString'; call = { Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId -ClientSecret 42 }; message = '*string or a SecureString*' }
    ) {
        $failure = Invoke-Failing $call
        $failure.Record.FullyQualifiedErrorId | Should -BeLike 'EntraAuth.ERR_INVALID_REQUEST,*'
        $failure.Record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Message | Should -BeLike $message
        $failure.Message | Should -BeLike '*Fix: *'
    }
}

Describe 'Faults of the service and the network' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }

    It 'a 429 with Retry-After: 1, then a token' {
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ status = 429; retryAfter = '1' })
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $header = Build-MicrosoftEntraIDApplicationAccessHeader $app.TenantId $app.ClientId $secret 6>$null
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.95
        (Test-EmulatorToken -Authorization $header.Authorization).appId | Should -Be $app.ClientId
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).status | Should -Be @(429, 200)
    }

    It 'three 503s in a row: a clear error within the bound, three tries' {
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ status = 503 }, @{ status = 503 }, @{ status = 503 })
        $failure = Invoke-Failing { Build-MicrosoftEntraIDApplicationAccessHeader $app.TenantId $app.ClientId $secret }
        $failure.Seconds | Should -BeLessThan 10
        $failure.Record.FullyQualifiedErrorId | Should -BeLike 'EntraAuth.ERR_SERVICE_UNAVAILABLE,*'
        $failure.Message | Should -Match 'HTTP 503.*gave up after 3 tries'
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).Count | Should -Be 3
    }

    It '<name> gives ERR_INVALID_RESPONSE' -ForEach @(
        @{ name = 'an HTML page'; kind = 'html'; message = '*HTML page*' }
        @{ name = 'truncated JSON'; kind = 'truncated'; message = '*not JSON*' }
        @{ name = 'a 200 without access_token'; kind = 'noAccessToken'; message = "*without 'access_token'*" }
    ) {
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ kind = $kind })
        $failure = Invoke-Failing { Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret }
        $failure.Record.FullyQualifiedErrorId | Should -BeLike 'EntraAuth.ERR_INVALID_RESPONSE,*'
        $failure.Message | Should -BeLike $message
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).Count | Should -Be 1
    }

    It 'a connection reset is retried' {
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ kind = 'reset' })
        $token = Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret 6>$null
        [string]$token | Should -Match '^eyJ'
    }

    It 'resets on every try end in ERR_NETWORK' {
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ kind = 'reset' }, @{ kind = 'reset' }, @{ kind = 'reset' })
        $failure = Invoke-Failing { Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret }
        $failure.Record.FullyQualifiedErrorId | Should -BeLike 'EntraAuth.ERR_NETWORK,*'
        $failure.Record.CategoryInfo.Category | Should -Be 'ConnectionError'
        $failure.Seconds | Should -BeLessThan 10
    }

    It 'no answer within -TimeoutSec ends in ERR_TIMEOUT on time' {
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ kind = 'delay'; ms = 8000 })
        $failure = Invoke-Failing { Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret -TimeoutSec 2 }
        $failure.Record.FullyQualifiedErrorId | Should -BeLike 'EntraAuth.ERR_TIMEOUT,*'
        $failure.Record.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $failure.Seconds | Should -BeLessThan 4
    }

    It 'an unreachable host ends in ERR_NETWORK within the bound' {
        $failure = Invoke-Failing { Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret -AuthorityHost 'https://127.0.0.1:9' -TimeoutSec 5 }
        $failure.Record.FullyQualifiedErrorId | Should -BeLike 'EntraAuth.ERR_NETWORK,*'
        $failure.Seconds | Should -BeLessThan 6
    }
}
