# Error mapping, with the core's process mocked away: each error envelope's code becomes the cmdlet's terminating error
# EntraAuth.<code> with its category, exception type, message and hint, and Entra's ids in Exception.Data.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FakeCore.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../../EntraAuth.psd1') -Force
    $script:tenant = '11111111-1111-1111-1111-111111111111'
    $script:client = '22222222-2222-2222-2222-222222222222'
    $script:app = @{ TenantId = $tenant; ClientId = $client }
    $script:getToken = 'Get-MicrosoftEntraIDApplicationAccessToken'
    $script:buildHeader = 'Build-MicrosoftEntraIDApplicationAccessHeader'
}

AfterAll {
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
    Remove-Module FakeCore -ErrorAction SilentlyContinue
}

Describe 'Error envelopes become ErrorRecords' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        # The resident core's process and pipes are mocked: $script:envelope is what "the core" answers a token
        # request.
        $script:envelope = $null
        $script:flow = $null
        Mock Start-EntraAuthCore -ModuleName EntraAuth { [pscustomobject]@{ NextId = 0; Waiting = @{}; Inbox = @{} } }
        Mock Stop-EntraAuthCore -ModuleName EntraAuth { }
        Mock ConvertTo-EntraAuthRequestLine -ModuleName EntraAuth { $script:flow = $Request.flow; [byte[]]::new(1) }
        Mock Send-EntraAuthCoreLine -ModuleName EntraAuth { $Session }
        Mock Receive-EntraAuthCoreEnvelope -ModuleName EntraAuth {
            if ($script:flow -eq 'resolveTarget') {
                $target = [pscustomobject]@{
                    authorityHost = 'https://login.microsoftonline.com'
                    scopes        = @('https://graph.microsoft.com/.default')
                }
                return [pscustomobject]@{ ok = $true; target = $target }
            }
            $script:envelope
        }
        Mock Get-EntraAuthSystemProxy -ModuleName EntraAuth { $null }
    }

    It '<Code>: category <Category>, <Type>, the message and the fix' -ForEach @(
        @{ Code = 'ERR_INVALID_REQUEST'; Category = 'InvalidArgument'; Type = 'ArgumentException' }
        @{ Code = 'ERR_PROTOCOL'; Category = 'InvalidData'; Type = 'InvalidOperationException' }
        @{ Code = 'ERR_AUTH_FAILED'; Category = 'AuthenticationError'; Type = 'AuthenticationException' }
        @{ Code = 'ERR_CREDENTIAL_UNAVAILABLE'; Category = 'ResourceUnavailable'; Type = 'InvalidOperationException' }
        @{ Code = 'ERR_THROTTLED'; Category = 'LimitsExceeded'; Type = 'InvalidOperationException' }
        @{ Code = 'ERR_SERVICE_UNAVAILABLE'; Category = 'ResourceUnavailable'; Type = 'InvalidOperationException' }
        @{ Code = 'ERR_INVALID_RESPONSE'; Category = 'InvalidResult'; Type = 'InvalidOperationException' }
        @{ Code = 'ERR_NETWORK'; Category = 'ConnectionError'; Type = 'WebException' }
        @{ Code = 'ERR_TLS'; Category = 'SecurityError'; Type = 'InvalidOperationException' }
        @{ Code = 'ERR_TIMEOUT'; Category = 'OperationTimeout'; Type = 'TimeoutException' }
        @{ Code = 'ERR_DEVICE_CODE_EXPIRED'; Category = 'OperationTimeout'; Type = 'TimeoutException' }
        @{ Code = 'ERR_DEVICE_CODE_DECLINED'; Category = 'AuthenticationError'; Type = 'AuthenticationException' }
        @{ Code = 'ERR_SIGN_IN_DECLINED'; Category = 'AuthenticationError'; Type = 'AuthenticationException' }
        @{ Code = 'ERR_STATE_MISMATCH'; Category = 'SecurityError'; Type = 'InvalidOperationException' }
        @{ Code = 'ERR_CORE_UNAVAILABLE'; Category = 'ResourceUnavailable'; Type = 'InvalidOperationException' }
        @{ Code = 'ERR_INTERNAL'; Category = 'NotSpecified'; Type = 'InvalidOperationException' }
    ) {
        $failure = [pscustomobject]@{ code = $Code; message = "What went wrong ($Code)."; hint = 'What to do.' }
        $script:envelope = [pscustomobject]@{ ok = $false; error = $failure }
        $record = $null
        try { $null = Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null }
        catch { $record = $_ }
        $record | Should -Not -BeNullOrEmpty
        $script:flow | Should -Be 'clientSecret'
        $record.FullyQualifiedErrorId | Should -Be "EntraAuth.$Code,$getToken"
        $record.CategoryInfo.Category | Should -Be $Category
        $record.Exception.GetType().Name | Should -Be $Type
        $record.Exception.Message | Should -Be "What went wrong ($Code). Fix: What to do."
        $record.Exception.Data['EntraAuth.Code'] | Should -Be $Code
        $record.Exception.Data['EntraAuth.Hint'] | Should -Be 'What to do.'
        $record.TargetObject | Should -Be $tenant
    }

    It 'an unknown code keeps its id and is NotSpecified' {
        $failure = [pscustomobject]@{ code = 'ERR_FROM_A_NEWER_CORE'; message = 'New.' }
        $script:envelope = [pscustomobject]@{ ok = $false; error = $failure }
        $record = $null
        try { $null = Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null }
        catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be "EntraAuth.ERR_FROM_A_NEWER_CORE,$getToken"
        $record.Exception.Message | Should -Be 'New.'
        $record.CategoryInfo.Category | Should -Be 'NotSpecified'
    }

    It 'Entra''s answer (HTTP status, OAuth error, AADSTS code, trace and correlation ids) lands in Exception.Data' {
        $oauth = [pscustomobject]@{
            error = 'invalid_client'; aadsts = 'AADSTS7000215'; traceId = 'trace-1'; correlationId = 'correlation-1'
            timestamp = '2026-01-01 12:00:00Z'
        }
        $failure = [pscustomobject]@{
            code = 'ERR_AUTH_FAILED'; message = 'Invalid client secret provided.'; status = 401; oauth = $oauth
        }
        $script:envelope = [pscustomobject]@{ ok = $false; error = $failure }
        $record = $null
        try { $null = Build-MicrosoftEntraIDApplicationAccessHeader $tenant $client 'secret-value' 6>$null }
        catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be "EntraAuth.ERR_AUTH_FAILED,$buildHeader"
        $data = $record.Exception.Data
        $data['EntraAuth.HttpStatus'] | Should -Be 401
        $data['EntraAuth.OAuthError'] | Should -Be 'invalid_client'
        $data['EntraAuth.Aadsts'] | Should -Be 'AADSTS7000215'
        $data['EntraAuth.TraceId'] | Should -Be 'trace-1'
        $data['EntraAuth.CorrelationId'] | Should -Be 'correlation-1'
        $data['EntraAuth.Timestamp'] | Should -Be '2026-01-01 12:00:00Z'
        $record.Exception.Message | Should -Be 'Invalid client secret provided.'
    }

    It 'a failure that is no EntraAuth error becomes ERR_INTERNAL, saying how to report it' {
        Mock Receive-EntraAuthCoreEnvelope -ModuleName EntraAuth {
            throw [System.IO.IOException]::new('The pipe is broken.')
        }
        $expected = 'EntraAuth failed unexpectedly: The pipe is broken. ' +
            'Fix: Run again with -Debug and report the issue.'
        { Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null } |
            Should -Throw -ErrorId "EntraAuth.ERR_INTERNAL,$getToken" -ExpectedMessage $expected
    }

    It 'a failed call leaves nothing in the cache: the next call asks again' {
        $failure = [pscustomobject]@{ code = 'ERR_NETWORK'; message = 'Unreachable.' }
        $script:envelope = [pscustomobject]@{ ok = $false; error = $failure }
        { Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null } |
            Should -Throw -ErrorId 'EntraAuth.ERR_NETWORK,*'
        $script:envelope = [pscustomobject]@{ ok = $true; token = (New-FakeCoreToken) }
        $token = Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null
        [string]$token | Should -Be 'header.payload.signature'
    }
}
