# Error mapping, with the core's process mocked away: each error envelope's code becomes the cmdlet's terminating error
# EntraAuth.<code> with its category, exception type, message and hint, and Entra's ids in Exception.Data.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FakeCore.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../../EntraAuth.psd1') -Force
    $script:tenant = '11111111-1111-1111-1111-111111111111'
    $script:client = '22222222-2222-2222-2222-222222222222'
}

AfterAll {
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
    Remove-Module FakeCore -ErrorAction SilentlyContinue
}

Describe 'Error envelopes become ErrorRecords' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        # The resident core's process and pipes are mocked: the envelope below is what "the core" answers a token request.
        $script:envelope = $null
        $script:flow = $null
        Mock Start-EntraAuthCore -ModuleName EntraAuth { [pscustomobject]@{ NextId = 0; Waiting = @{}; Inbox = @{} } }
        Mock Stop-EntraAuthCore -ModuleName EntraAuth { }
        Mock ConvertTo-EntraAuthRequestLine -ModuleName EntraAuth { $script:flow = $Request.flow; [byte[]]::new(1) }
        Mock Send-EntraAuthCoreLine -ModuleName EntraAuth { $Session }
        Mock Receive-EntraAuthCoreEnvelope -ModuleName EntraAuth {
            if ($script:flow -eq 'resolveTarget') {
                return [pscustomobject]@{ ok = $true; target = [pscustomobject]@{ authorityHost = 'https://login.microsoftonline.com'; scopes = @('https://graph.microsoft.com/.default') } }
            }
            $script:envelope
        }
        Mock Get-EntraAuthSystemProxy -ModuleName EntraAuth { $null }
    }

    It '<Code>: category <Category>, <Exception>, the message and the fix' -ForEach @(
        @{ Code = 'ERR_INVALID_REQUEST'; Category = 'InvalidArgument'; Exception = 'System.ArgumentException' }
        @{ Code = 'ERR_PROTOCOL'; Category = 'InvalidData'; Exception = 'System.InvalidOperationException' }
        @{ Code = 'ERR_AUTH_FAILED'; Category = 'AuthenticationError'; Exception = 'System.Security.Authentication.AuthenticationException' }
        @{ Code = 'ERR_CREDENTIAL_UNAVAILABLE'; Category = 'ResourceUnavailable'; Exception = 'System.InvalidOperationException' }
        @{ Code = 'ERR_THROTTLED'; Category = 'LimitsExceeded'; Exception = 'System.InvalidOperationException' }
        @{ Code = 'ERR_SERVICE_UNAVAILABLE'; Category = 'ResourceUnavailable'; Exception = 'System.InvalidOperationException' }
        @{ Code = 'ERR_INVALID_RESPONSE'; Category = 'InvalidResult'; Exception = 'System.InvalidOperationException' }
        @{ Code = 'ERR_NETWORK'; Category = 'ConnectionError'; Exception = 'System.Net.WebException' }
        @{ Code = 'ERR_TLS'; Category = 'SecurityError'; Exception = 'System.InvalidOperationException' }
        @{ Code = 'ERR_TIMEOUT'; Category = 'OperationTimeout'; Exception = 'System.TimeoutException' }
        @{ Code = 'ERR_DEVICE_CODE_EXPIRED'; Category = 'OperationTimeout'; Exception = 'System.TimeoutException' }
        @{ Code = 'ERR_DEVICE_CODE_DECLINED'; Category = 'AuthenticationError'; Exception = 'System.Security.Authentication.AuthenticationException' }
        @{ Code = 'ERR_SIGN_IN_DECLINED'; Category = 'AuthenticationError'; Exception = 'System.Security.Authentication.AuthenticationException' }
        @{ Code = 'ERR_STATE_MISMATCH'; Category = 'SecurityError'; Exception = 'System.InvalidOperationException' }
        @{ Code = 'ERR_CORE_UNAVAILABLE'; Category = 'ResourceUnavailable'; Exception = 'System.InvalidOperationException' }
        @{ Code = 'ERR_INTERNAL'; Category = 'NotSpecified'; Exception = 'System.InvalidOperationException' }
    ) {
        $script:envelope = [pscustomobject]@{ ok = $false; error = [pscustomobject]@{ code = $Code; message = "What went wrong ($Code)."; hint = 'What to do.' } }
        $record = $null
        try { $null = Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null }
        catch { $record = $_ }
        $record | Should -Not -BeNullOrEmpty
        $script:flow | Should -Be 'clientSecret'
        $record.FullyQualifiedErrorId | Should -Be "EntraAuth.$Code,Get-MicrosoftEntraIDApplicationAccessToken"
        $record.CategoryInfo.Category | Should -Be $Category
        $record.Exception.GetType().FullName | Should -Be $Exception
        $record.Exception.Message | Should -Be "What went wrong ($Code). Fix: What to do."
        $record.Exception.Data['EntraAuth.Code'] | Should -Be $Code
        $record.Exception.Data['EntraAuth.Hint'] | Should -Be 'What to do.'
        $record.TargetObject | Should -Be $tenant
    }

    It 'an unknown code keeps its id and is NotSpecified' {
        $script:envelope = [pscustomobject]@{ ok = $false; error = [pscustomobject]@{ code = 'ERR_FROM_A_NEWER_CORE'; message = 'New.' } }
        { Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_FROM_A_NEWER_CORE,*' -ExpectedMessage 'New.'
        try { $null = Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null } catch { $_.CategoryInfo.Category | Should -Be 'NotSpecified' }
    }

    It 'Entra''s answer (HTTP status, OAuth error, AADSTS code, trace and correlation ids) lands in Exception.Data' {
        $oauth = [pscustomobject]@{ error = 'invalid_client'; aadsts = 'AADSTS7000215'; traceId = 'trace-1'; correlationId = 'correlation-1'; timestamp = '2026-01-01 12:00:00Z' }
        $script:envelope = [pscustomobject]@{ ok = $false; error = [pscustomobject]@{ code = 'ERR_AUTH_FAILED'; message = 'Invalid client secret provided.'; status = 401; oauth = $oauth } }
        $record = $null
        try { $null = Build-MicrosoftEntraIDApplicationAccessHeader $tenant $client 'secret-value' 6>$null } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'EntraAuth.ERR_AUTH_FAILED,Build-MicrosoftEntraIDApplicationAccessHeader'
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
        Mock Receive-EntraAuthCoreEnvelope -ModuleName EntraAuth { throw [System.IO.IOException]::new('The pipe is broken.') }
        { Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_INTERNAL,Get-MicrosoftEntraIDApplicationAccessToken' -ExpectedMessage 'EntraAuth failed unexpectedly: The pipe is broken. Fix: Run again with -Debug and report the issue.'
    }

    It 'a failed call leaves nothing in the cache: the next call asks again' {
        $script:envelope = [pscustomobject]@{ ok = $false; error = [pscustomobject]@{ code = 'ERR_NETWORK'; message = 'Unreachable.' } }
        { Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_NETWORK,*'
        $script:envelope = [pscustomobject]@{ ok = $true; token = (New-FakeCoreToken) }
        [string](Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null) | Should -Be 'header.payload.signature'
    }
}
