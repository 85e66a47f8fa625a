# Parameters to request, with the core mocked: which flow each parameter set asks for, the defaults the module fills
# in, and the bad input refused before any core call. (The exact request lines are pinned by the protocol fixtures.)

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

Describe 'Parameters to request' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        $script:requests = [System.Collections.Generic.List[hashtable]]::new()
        # $script: in a mock's body is this file's script scope.
        Mock Invoke-EntraAuthCore -ModuleName EntraAuth {
            if ($Request.flow -eq 'resolveTarget') { return New-FakeCoreTarget -Request $Request }
            $script:requests.Add($Request.Clone())
            New-FakeCoreToken
        }
        Mock Start-EntraAuthCore -ModuleName EntraAuth { throw 'the unit layer never starts a core' }
        Mock Get-EntraAuthSystemProxy -ModuleName EntraAuth { $null }
    }

    It '<Name> asks the core for flow <Flow>' -ForEach @(
        @{ Name = 'the seed call (tenant, client, secret by position)'; Flow = 'clientSecret'; Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken $t $c 'secret-value' } }
        @{ Name = 'a refresh token by position'; Flow = 'refreshToken'; Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken $t $c '' 'refresh-value' } }
        @{ Name = '-Credential'; Flow = 'clientSecret'; Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken -TenantId $t -Credential ([pscredential]::new($c, (ConvertTo-SecureString 'secret-value' -AsPlainText -Force))) } }
        @{ Name = '-ManagedIdentity'; Flow = 'managedIdentity'; Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity } }
        @{ Name = '-WorkloadIdentity'; Flow = 'workloadIdentity'; Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken -WorkloadIdentity } }
        @{ Name = '-FederatedTokenFile'; Flow = 'workloadIdentity'; Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken -TenantId $t -ClientId $c -FederatedTokenFile 'token.jwt' } }
        @{ Name = '-ClientAssertion'; Flow = 'workloadIdentity'; Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken -TenantId $t -ClientId $c -ClientAssertion 'a.b.c' } }
        @{ Name = '-DeviceCode'; Flow = 'deviceCode'; Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode } }
        @{ Name = '-Interactive'; Flow = 'interactive'; Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken -Interactive } }
    ) {
        $null = & $Call $tenant $client 6>$null
        $script:requests.Count | Should -Be 1
        $script:requests[0].flow | Should -Be $Flow
        $script:requests[0].protocolVersion | Should -Be 1
    }

    It 'fills in the defaults: a 60 s timeout, log level info, no scopes, and the client secret (kept as a SecureString)' {
        # The packaged run sets a global 'Inquire' (as 5.1's -Debug), which asks for debug lines: not this test's subject.
        $preference = $global:DebugPreference
        $global:DebugPreference = 'SilentlyContinue'
        try { $null = Build-MicrosoftEntraIDApplicationAccessHeader $tenant $client 'secret-value' 6>$null }
        finally { $global:DebugPreference = $preference }
        $request = $script:requests[0]
        $request.timeoutSec | Should -Be 60
        $request.logLevel | Should -Be 'info'
        $request.ContainsKey('scopes') | Should -BeFalse -Because 'the core picks the cloud''s Graph scope'
        $request.tenantId | Should -Be $tenant
        $request.clientId | Should -Be $client
        [pscredential]::new('x', $request.clientSecret).GetNetworkCredential().Password | Should -Be 'secret-value'
    }

    It 'a device code sign-in defaults to the organizations tenant, Graph''s public client and 900 s' {
        $null = Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode 6>$null
        $script:requests[0].tenantId | Should -Be 'organizations'
        $script:requests[0].clientId | Should -Be '14d82eec-204b-4c2f-b7e8-296a70dab67e'
        $script:requests[0].timeoutSec | Should -Be 900
    }

    It 'an interactive sign-in for Azure Resource Manager defaults to Azure PowerShell''s client and 300 s' {
        $null = Get-MicrosoftEntraIDApplicationAccessToken -Interactive -Scope https://management.azure.com 6>$null
        $script:requests[0].clientId | Should -Be '1950a258-227b-4e31-a9cf-717495945fc2'
        $script:requests[0].timeoutSec | Should -Be 300
    }

    It 'a refresh token wins over the client secret, which goes along (as in the seed)' {
        $null = Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 'refresh-value' 6>$null
        $script:requests[0].flow | Should -Be 'refreshToken'
        $script:requests[0].refreshToken | Should -BeOfType [securestring]
        [pscredential]::new('x', $script:requests[0].refreshToken).GetNetworkCredential().Password | Should -Be 'refresh-value'
        [pscredential]::new('x', $script:requests[0].clientSecret).GetNetworkCredential().Password | Should -Be 'secret-value'
    }

    It 'passes -Scope, -Environment, -AuthorityHost, -TimeoutSec and -Proxy through as given' {
        $null = Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' -Scope 'https://management.azure.com' -Environment USGov -AuthorityHost 'https://login.example.test' -TimeoutSec 5 -Proxy 'http://proxy.example.test:8080' 6>$null
        $request = $script:requests[0]
        @($request.scopes) | Should -Be @('https://management.azure.com')
        $request.environment | Should -Be 'USGov'
        $request.authorityHost | Should -Be 'https://login.example.test'
        $request.timeoutSec | Should -Be 5
        $request.proxy | Should -Be 'http://proxy.example.test:8080'
    }

    It 'asks for log level <Level> under <Preference>' -ForEach @(
        @{ Preference = '-Verbose'; Level = 'verbose'; Switches = @{ Verbose = $true } }
        @{ Preference = '-Debug'; Level = 'debug'; Switches = @{ Debug = $true } }
    ) {
        $preference = $global:DebugPreference
        $global:DebugPreference = 'SilentlyContinue'
        try { $null = Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' @Switches 4>$null 5>$null 6>$null }
        finally { $global:DebugPreference = $preference }
        $script:requests[0].logLevel | Should -Be $Level
    }

    It 'a user-assigned managed identity by object or resource id goes along' {
        $null = Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity -ManagedIdentityObjectId 'object-id' 6>$null
        $null = Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity -ManagedIdentityResourceId '/subscriptions/x' 6>$null
        $script:requests[0].managedIdentityObjectId | Should -Be 'object-id'
        $script:requests[1].managedIdentityResourceId | Should -Be '/subscriptions/x'
    }

    It 'the federated token file is made absolute from the current location' {
        $null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenant -ClientId $client -FederatedTokenFile 'token.jwt' 6>$null
        $script:requests[0].federatedTokenFile | Should -Be (Join-Path (Get-Location).ProviderPath 'token.jwt')
    }

    It 'a -ClientAssertion script block runs for the request and its answer goes along' {
        $null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenant -ClientId $client -ClientAssertion { 'from.the.block' } 6>$null
        $script:requests[0].clientAssertion | Should -Be 'from.the.block'
    }

    It '-LoginHint and -Prompt go along with -Interactive' {
        $null = Get-MicrosoftEntraIDApplicationAccessToken -Interactive -LoginHint 'admin@contoso.test' -Prompt login 6>$null
        $script:requests[0].loginHint | Should -Be 'admin@contoso.test'
        $script:requests[0].prompt | Should -Be 'login'
    }
}

Describe 'Bad input is refused before any core call' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        # The cache key asks the core for the canonical target (no network); no token request may follow.
        Mock Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter { $Request.flow -eq 'resolveTarget' } { New-FakeCoreTarget -Request $Request }
        Mock Invoke-EntraAuthCore -ModuleName EntraAuth { throw 'no token request was expected' }
        Mock Start-EntraAuthCore -ModuleName EntraAuth { throw 'the unit layer never starts a core' }
    }

    It 'no secret, credential or refresh token: ERR_INVALID_REQUEST naming what to pass' {
        { Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,Get-MicrosoftEntraIDApplicationAccessToken' -ExpectedMessage '*no client secret, credential or refresh token*Fix:*'
        Should -Invoke Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter { $Request.flow -ne 'resolveTarget' } -Times 0 -Exactly
    }

    It 'a client secret of another type: ERR_INVALID_REQUEST naming the type' {
        { Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 42 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,*' -ExpectedMessage '*-ClientSecret must be a string or a SecureString, not System.Int32*'
        Should -Invoke Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter { $Request.flow -ne 'resolveTarget' } -Times 0 -Exactly
    }

    It 'a -ClientAssertion script block that returns nothing: ERR_INVALID_REQUEST' {
        { Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenant -ClientId $client -ClientAssertion { } 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,*' -ExpectedMessage '*script block of -ClientAssertion returned nothing*'
        Should -Invoke Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter { $Request.flow -ne 'resolveTarget' } -Times 0 -Exactly
    }

    It 'a margin that is not 0 to 3600 seconds: ERR_INVALID_REQUEST naming the variable' {
        $global:EntraAuthRefreshMarginSec = 'soon'
        try {
            { Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,*' -ExpectedMessage '*$EntraAuthRefreshMarginSec is ''soon''*'
        }
        finally { Remove-Variable -Name EntraAuthRefreshMarginSec -Scope Global }
        Should -Invoke Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter { $Request.flow -ne 'resolveTarget' } -Times 0 -Exactly
    }

    It '<Name> is refused by the parameter binder (<Id>)' -ForEach @(
        @{ Name = '-TimeoutSec 0'; Id = 'ParameterArgumentValidationError'; Call = { Get-MicrosoftEntraIDApplicationAccessToken -TenantId t -ClientId c -ClientSecret s -TimeoutSec 0 } }
        @{ Name = '-Environment Mars'; Id = 'ParameterArgumentValidationError'; Call = { Get-MicrosoftEntraIDApplicationAccessToken -TenantId t -ClientId c -ClientSecret s -Environment Mars } }
        @{ Name = '-SigningAlgorithm ES256'; Id = 'ParameterArgumentValidationError'; Call = { Get-MicrosoftEntraIDApplicationAccessToken -TenantId t -ClientId c -CertificateThumbprint AB -SigningAlgorithm ES256 } }
        @{ Name = '-ManagedIdentity with -ClientSecret'; Id = 'AmbiguousParameterSet'; Call = { Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity -ClientSecret s } }
    ) {
        { & $Call 6>$null } | Should -Throw -ErrorId "$Id,Get-MicrosoftEntraIDApplicationAccessToken"
        Should -Invoke Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter { $Request.flow -ne 'resolveTarget' } -Times 0 -Exactly
    }
}
