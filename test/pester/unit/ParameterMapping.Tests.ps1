# Parameters to request, with the core mocked: which flow each parameter set asks for, the defaults the module fills
# in, and the bad input refused before any token request. (The exact request lines are pinned by the protocol
# fixtures; this file covers the mapping rules.)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FakeCore.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../../EntraAuth.psd1') -Force
    $script:tenant = '11111111-1111-1111-1111-111111111111'
    $script:client = '22222222-2222-2222-2222-222222222222'
    $script:app = @{ TenantId = $tenant; ClientId = $client }
    function ConvertTo-Plain {
        param([securestring] $Secret)
        [pscredential]::new('x', $Secret).GetNetworkCredential().Password
    }
    function Invoke-WithoutGlobalDebug {
        # The packaged run sets a global 'Inquire' (as 5.1's -Debug), which asks for debug lines: not these tests'
        # subject. A script module's functions read the global preference, not the caller's.
        param([Parameter(Mandatory)] [scriptblock] $Call)
        $preference = $global:DebugPreference
        $global:DebugPreference = 'SilentlyContinue'
        try { & $Call }
        finally { $global:DebugPreference = $preference }
    }
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
        @{
            Name = 'the seed call (tenant, client, secret by position)'; Flow = 'clientSecret'
            Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken $t $c 'secret-value' }
        }
        @{
            Name = 'a refresh token by position'; Flow = 'refreshToken'
            Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken $t $c '' 'refresh-value' }
        }
        @{
            Name = '-Credential'; Flow = 'clientSecret'
            Call = {
                param($t, $c)
                $secret = ConvertTo-SecureString 'secret-value' -AsPlainText -Force
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $t -Credential ([pscredential]::new($c, $secret))
            }
        }
        @{
            Name = '-ManagedIdentity'; Flow = 'managedIdentity'
            Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity }
        }
        @{
            Name = '-WorkloadIdentity'; Flow = 'workloadIdentity'
            Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken -WorkloadIdentity }
        }
        @{
            Name = '-FederatedTokenFile'; Flow = 'workloadIdentity'
            Call = {
                param($t, $c)
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $t -ClientId $c -FederatedTokenFile 'token.jwt'
            }
        }
        @{
            Name = '-ClientAssertion'; Flow = 'workloadIdentity'
            Call = {
                param($t, $c)
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $t -ClientId $c -ClientAssertion a.b.c
            }
        }
        @{
            Name = '-DeviceCode'; Flow = 'deviceCode'
            Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode }
        }
        @{
            Name = '-Interactive'; Flow = 'interactive'
            Call = { param($t, $c) Get-MicrosoftEntraIDApplicationAccessToken -Interactive }
        }
    ) {
        $null = & $Call $tenant $client 6>$null
        $script:requests.Count | Should -Be 1
        $script:requests[0].flow | Should -Be $Flow
    }

    It 'fills in the defaults: 60 s, log level info, no scopes, the secret (kept as a SecureString)' {
        Invoke-WithoutGlobalDebug {
            $null = Build-MicrosoftEntraIDApplicationAccessHeader $tenant $client 'secret-value' 6>$null
        }
        $request = $script:requests[0]
        $request.timeoutSec | Should -Be 60
        $request.logLevel | Should -Be 'info'
        $request.ContainsKey('scopes') | Should -BeFalse -Because 'the core picks the cloud''s Graph scope'
        $request.tenantId | Should -Be $tenant
        $request.clientId | Should -Be $client
        ConvertTo-Plain $request.clientSecret | Should -Be 'secret-value'
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
        ConvertTo-Plain $script:requests[0].refreshToken | Should -Be 'refresh-value'
        ConvertTo-Plain $script:requests[0].clientSecret | Should -Be 'secret-value'
    }

    It 'passes -Scope, -Environment, -AuthorityHost, -TimeoutSec and -Proxy through as given' {
        $options = @{
            Scope = 'https://management.azure.com'; Environment = 'USGov'; AuthorityHost = 'https://login.example.test'
            TimeoutSec = 5; Proxy = 'http://proxy.example.test:8080'
        }
        $null = Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' @options 6>$null
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
        Invoke-WithoutGlobalDebug {
            $null = Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 's' @Switches 4>$null 5>$null 6>$null
        }
        $script:requests[0].logLevel | Should -Be $Level
    }

    It 'a user-assigned managed identity by object or resource id goes along' {
        $null = Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity -ManagedIdentityObjectId 'object-id' 6>$null
        $null = Get-MicrosoftEntraIDApplicationAccessToken -ManagedIdentity -ManagedIdentityResourceId '/sub/x' 6>$null
        $script:requests[0].managedIdentityObjectId | Should -Be 'object-id'
        $script:requests[1].managedIdentityResourceId | Should -Be '/sub/x'
    }

    It 'the federated token file is made absolute from the current location' {
        $null = Get-MicrosoftEntraIDApplicationAccessToken @app -FederatedTokenFile 'token.jwt' 6>$null
        $script:requests[0].federatedTokenFile | Should -Be (Join-Path (Get-Location).ProviderPath 'token.jwt')
    }

    It 'a -ClientAssertion script block runs for the request and its answer goes along' {
        $assertion = { 'from.the.block' }
        $null = Get-MicrosoftEntraIDApplicationAccessToken @app -ClientAssertion $assertion 6>$null
        $script:requests[0].clientAssertion | Should -Be 'from.the.block'
    }

    It '-LoginHint and -Prompt go along with -Interactive' {
        $hint = @{ LoginHint = 'admin@contoso.test'; Prompt = 'login' }
        $null = Get-MicrosoftEntraIDApplicationAccessToken -Interactive @hint 6>$null
        $script:requests[0].loginHint | Should -Be 'admin@contoso.test'
        $script:requests[0].prompt | Should -Be 'login'
    }
}

Describe 'Bad input is refused before any token request' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        # The cache key asks the core for the canonical target (no network); no token request may follow.
        Mock Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter { $Request.flow -eq 'resolveTarget' } {
            New-FakeCoreTarget -Request $Request
        }
        Mock Invoke-EntraAuthCore -ModuleName EntraAuth { throw 'no token request was expected' }
        Mock Start-EntraAuthCore -ModuleName EntraAuth { throw 'the unit layer never starts a core' }
        $script:noTokenRequest = { $Request.flow -ne 'resolveTarget' }
    }

    It 'no secret, credential or refresh token: ERR_INVALID_REQUEST naming what to pass' {
        { Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 6>$null } |
            Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,Get-MicrosoftEntraIDApplicationAccessToken' `
                -ExpectedMessage '*no client secret, credential or refresh token*Fix:*'
        Should -Invoke Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter $noTokenRequest -Times 0 -Exactly
    }

    It 'a client secret of another type: ERR_INVALID_REQUEST naming the type' {
        { Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 42 6>$null } |
            Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,*' `
                -ExpectedMessage '*-ClientSecret must be a string or a SecureString, not System.Int32*'
        Should -Invoke Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter $noTokenRequest -Times 0 -Exactly
    }

    It 'a -ClientAssertion script block that returns nothing: ERR_INVALID_REQUEST' {
        { Get-MicrosoftEntraIDApplicationAccessToken @app -ClientAssertion { } 6>$null } |
            Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,*' `
                -ExpectedMessage '*script block of -ClientAssertion returned nothing*'
        Should -Invoke Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter $noTokenRequest -Times 0 -Exactly
    }

    It 'a margin that is not 0 to 3600 seconds: ERR_INVALID_REQUEST naming the variable' {
        $global:EntraAuthRefreshMarginSec = 'soon'
        try {
            { Get-MicrosoftEntraIDApplicationAccessToken $tenant $client 'secret-value' 6>$null } |
                Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,*' `
                    -ExpectedMessage '*$EntraAuthRefreshMarginSec is ''soon''*'
        }
        finally { Remove-Variable -Name EntraAuthRefreshMarginSec -Scope Global }
        Should -Invoke Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter $noTokenRequest -Times 0 -Exactly
    }

    It '<Name> is refused by the parameter binder (<Id>)' -ForEach @(
        @{
            Name = '-TimeoutSec 0'; Id = 'ParameterArgumentValidationError'
            Arguments = @{ ClientSecret = 's'; TimeoutSec = 0 }
        }
        @{
            Name = '-Environment Mars'; Id = 'ParameterArgumentValidationError'
            Arguments = @{ ClientSecret = 's'; Environment = 'Mars' }
        }
        @{
            Name = '-SigningAlgorithm ES256'; Id = 'ParameterArgumentValidationError'
            Arguments = @{ CertificateThumbprint = 'AB'; SigningAlgorithm = 'ES256' }
        }
        @{
            Name = '-ManagedIdentity with -ClientSecret'; Id = 'AmbiguousParameterSet'
            Arguments = @{ ManagedIdentity = $true; ClientSecret = 's' }
        }
    ) {
        { Get-MicrosoftEntraIDApplicationAccessToken -TenantId t -ClientId c @Arguments 6>$null } |
            Should -Throw -ErrorId "$Id,Get-MicrosoftEntraIDApplicationAccessToken"
        Should -Invoke Invoke-EntraAuthCore -ModuleName EntraAuth -Times 0 -Exactly
    }
}
