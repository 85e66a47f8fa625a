# The cached call's fast path (module/private/cache/CachedCall.ps1) and the cold call's single round trip: the fast
# path answers only a call bound exactly as before with provably the same secret; anything else takes the full way,
# which is replaced here by a mock that throws, so a test sees which way a call went.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $app = Get-TestApp -Name 'automation'
    $secret = $app.Secrets[0].value
    $otherSecret = $app.Secrets[1].value
    function Get-Header([object] $Secret) {
        $call = @{ TenantId = $app.TenantId; ClientId = $app.ClientId; ClientSecret = $Secret }
        Build-MicrosoftEntraIDApplicationAccessHeader @call 6>$null
    }
    function Get-TokenCount { @(Get-EmulatorTokenRequests -ClientId $app.ClientId).Count }
    # From here on, a call that does not take the fast path fails with this text.
    function Stop-FullWay { Mock Get-EntraAuthToken -ModuleName EntraAuth { throw 'the full way was taken' } }
}

AfterAll {
    Set-EntraAuthTestClock 0
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'The cached call''s fast path' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        Set-EntraAuthTestClock 0
        Reset-Emulator
    }

    It 'answers the same call with the same secret object from the cache, each time with a header of its own' {
        $first = Get-Header $secret
        Stop-FullWay
        $second = Get-Header $secret
        $second.Authorization | Should -Be $first.Authorization
        Get-TokenCount | Should -Be 1
        # Its own hashtable, as the seed gave: a key a caller adds stays in that caller's header.
        $second['ConsistencyLevel'] = 'eventual'
        $third = Get-Header $secret
        $third.ContainsKey('ConsistencyLevel') | Should -BeFalse
        [object]::ReferenceEquals($global:MicrosoftEntraIDHeader, $third) | Should -BeTrue
        $global:MicrosoftEntraIDAccessToken | Should -BeExactly $first.Authorization
        # Still the redacting view, and still the type the seed returned.
        $third | Should -BeOfType [hashtable]
        ($third | Out-String) | Should -Not -Match 'eyJ'
        ($third | Out-String) | Should -Match 'Bearer \[redacted\]'
    }

    It 'never answers another secret: it takes the full way' {
        $null = Get-Header $secret
        Stop-FullWay
        { Get-Header $otherSecret } | Should -Throw '*the full way was taken*'
        # The same text in another string object is not provably the same secret without making it plain: the full way.
        { Get-Header ([string]::new($secret.ToCharArray())) } | Should -Throw '*the full way was taken*'
    }

    It 'another secret gets its own token by the full way, and the first secret is then not answered with it' {
        $null = Get-Header $secret
        $other = Get-Header $otherSecret
        Get-TokenCount | Should -Be 2
        $again = Get-Header $secret
        Get-TokenCount | Should -Be 3
        $again.Authorization | Should -Not -Be $other.Authorization
    }

    It 'takes a SecureString only when it is read-only (one that can change is compared by the full way)' {
        $changing = ConvertTo-SecureString $secret -AsPlainText -Force
        $fixed = ConvertTo-SecureString $secret -AsPlainText -Force
        $fixed.MakeReadOnly()
        $null = Get-Header $changing
        $null = Get-Header $fixed
        Get-TokenCount | Should -Be 1
        Stop-FullWay
        $null = Get-Header $fixed
        { Get-Header $changing } | Should -Throw '*the full way was taken*'
    }

    It 'takes the full way when the bound parameters, the login host variable, the clock or the cache changed' {
        $call = @{ TenantId = $app.TenantId; ClientId = $app.ClientId; ClientSecret = $secret }
        $upperTenant = @{ TenantId = $app.TenantId.ToUpperInvariant(); ClientId = $app.ClientId }
        $upperTenant.ClientSecret = $secret
        $null = Get-Header $secret
        Stop-FullWay
        { Build-MicrosoftEntraIDApplicationAccessHeader @call -Scope https://graph.microsoft.com 6>$null } |
            Should -Throw '*the full way was taken*'
        { Build-MicrosoftEntraIDApplicationAccessHeader @upperTenant 6>$null } |
            Should -Throw '*the full way was taken*'
        $saved = $env:AZURE_AUTHORITY_HOST
        try {
            $env:AZURE_AUTHORITY_HOST = "$saved/"
            { Get-Header $secret } | Should -Throw '*the full way was taken*'
        }
        finally { $env:AZURE_AUTHORITY_HOST = $saved }
        $null = Get-Header $secret
        Set-EntraAuthTestClock 3400
        { Get-Header $secret } | Should -Throw '*the full way was taken*'
        Set-EntraAuthTestClock 0
        & (Get-Module EntraAuth) { $null = Clear-EntraAuthSessionCache }
        { Get-Header $secret } | Should -Throw '*the full way was taken*'
    }

    It 'leaves -Verbose and -Force to the full way' {
        $call = @{ TenantId = $app.TenantId; ClientId = $app.ClientId; ClientSecret = $secret }
        $null = Get-Header $secret
        Stop-FullWay
        { Build-MicrosoftEntraIDApplicationAccessHeader @call -Verbose 4>$null 6>$null } |
            Should -Throw '*the full way was taken*'
        { Build-MicrosoftEntraIDApplicationAccessHeader @call -Force 6>$null } |
            Should -Throw '*the full way was taken*'
    }
}

Describe 'The fast path''s shortcuts, each where it must miss' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        Set-EntraAuthTestClock 0
        Reset-Emulator
    }

    It 'answers the call without -Force from the entry a -Force call left, with its new token; -Force still asks' {
        $call = @{ TenantId = $app.TenantId; ClientId = $app.ClientId; ClientSecret = $secret }
        $first = Get-Header $secret
        $forced = Build-MicrosoftEntraIDApplicationAccessHeader @call -Force 6>$null
        $forced.Authorization | Should -Not -Be $first.Authorization
        Stop-FullWay
        (Get-Header $secret).Authorization | Should -Be $forced.Authorization
        Get-TokenCount | Should -Be 2
        { Build-MicrosoftEntraIDApplicationAccessHeader @call -Force 6>$null } |
            Should -Throw '*the full way was taken*'
        # An explicit -Force:$false is one more bound name than the memo has: the full way, which is right too.
        { Build-MicrosoftEntraIDApplicationAccessHeader @call -Force:$false 6>$null } |
            Should -Throw '*the full way was taken*'
    }

    It 'the globals follow the entry a -Force call made, also after cached calls of it: renewed on read when due' {
        $call = @{ TenantId = $app.TenantId; ClientId = $app.ClientId; ClientSecret = $secret }
        $null = Get-Header $secret
        $forced = Build-MicrosoftEntraIDApplicationAccessHeader @call -Force 6>$null
        $cached = Get-Header $secret
        $cached.Authorization | Should -Be $forced.Authorization
        Set-EntraAuthTestClock 3400
        $read = $global:MicrosoftEntraIDHeader.Authorization
        $read | Should -Not -Be $forced.Authorization -Because 'the binding follows the new entry, not the first one'
        $cached.Authorization | Should -Be $read -Because 'the header the cached call returned is the one renewed'
        $global:MicrosoftEntraIDAccessToken | Should -Be $read
        Get-TokenCount | Should -Be 3
    }

    It 'compares each memo field: values by case, arrays element by element, secrets and variables' {
        InModuleScope EntraAuth {
            $now = Get-EntraAuthNow
            $token = [pscustomobject]@{ IssuedOn = $now; ExpiresOn = $now.AddHours(1); RefreshOn = $null }
            $entry = @{ Key = 'memo-test'; Token = $token; RefreshOn = $null; Value = 'Bearer x'; Header = $null }
            $script:EntraAuthTokenCache['memo-test'] = $entry
            $secret = [string]::new('s3cret'.ToCharArray())
            $equalSecret = [string]::new('s3cret'.ToCharArray())
            $password = ConvertTo-SecureString 'p' -AsPlainText -Force
            $password.MakeReadOnly()
            $credential = [pscredential]::new('11111111-1111-1111-1111-111111111111', $password)
            $bound = @{ TenantId = 'Tenant'; ClientSecret = $secret; Scope = [string[]]@('a', 'b') }
            Save-EntraAuthCallMemo -SetName ClientSecret -Bound $bound -Entry $entry
            Find-EntraAuthCachedEntry 'ClientSecret' $bound.Clone() | Should -Be $entry
            # A new array with the same elements is the same call.
            $same = @{ TenantId = 'Tenant'; ClientSecret = $secret; Scope = [string[]]@('a', 'b') }
            Find-EntraAuthCachedEntry 'ClientSecret' $same | Should -Be $entry
            $misses = @(
                @{ TenantId = 'tenant'; ClientSecret = $secret; Scope = [string[]]@('a', 'b') }
                @{ TenantId = [string[]]@('Tenant'); ClientSecret = $secret; Scope = [string[]]@('a', 'b') }
                @{ TenantId = 'Tenant'; ClientSecret = $secret; Scope = [string[]]@('a', 'B') }
                @{ TenantId = 'Tenant'; ClientSecret = $secret; Scope = [string[]]@('b', 'a') }
                @{ TenantId = 'Tenant'; ClientSecret = $secret; Scope = [string[]]@('a') }
                @{ TenantId = 'Tenant'; ClientSecret = $secret; Scope = 'a' }
                @{ TenantId = 'Tenant'; ClientSecret = $equalSecret; Scope = [string[]]@('a', 'b') }
                @{ TenantId = 'Tenant'; ClientSecret = $null; Scope = [string[]]@('a', 'b') }
                @{ TenantId = 'Tenant'; ClientId = $secret; Scope = [string[]]@('a', 'b') }
            )
            foreach ($miss in $misses) { Find-EntraAuthCachedEntry 'ClientSecret' $miss | Should -BeNullOrEmpty }
            Find-EntraAuthCachedEntry 'Credential' $bound | Should -BeNullOrEmpty

            # A credential: the very same object only.
            Save-EntraAuthCallMemo -SetName Credential -Bound @{ Credential = $credential } -Entry $entry
            Find-EntraAuthCachedEntry 'Credential' @{ Credential = $credential } | Should -Be $entry
            $equal = [pscredential]::new($credential.UserName, $password)
            Find-EntraAuthCachedEntry 'Credential' @{ Credential = $equal } | Should -BeNullOrEmpty

            # A variable of the set that was unset is remembered as unset: it hits while unset, misses once set.
            $saved = [Environment]::GetEnvironmentVariable('IMDS_ENDPOINT')
            try {
                [Environment]::SetEnvironmentVariable('IMDS_ENDPOINT', $null)
                Save-EntraAuthCallMemo -SetName ManagedIdentity -Bound @{} -Entry $entry
                Find-EntraAuthCachedEntry 'ManagedIdentity' @{} | Should -Be $entry
                [Environment]::SetEnvironmentVariable('IMDS_ENDPOINT', 'http://127.0.0.1:9')
                Find-EntraAuthCachedEntry 'ManagedIdentity' @{} | Should -BeNullOrEmpty
            }
            finally { [Environment]::SetEnvironmentVariable('IMDS_ENDPOINT', $saved) }
            $script:EntraAuthTokenCache.Remove('memo-test')
            Find-EntraAuthCachedEntry 'Credential' @{ Credential = $credential } | Should -BeNullOrEmpty
        }
    }
}

Describe 'The cold call' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        Reset-Emulator
    }

    It 'makes one round trip: the cache key comes from the token''s envelope, not from a resolveTarget request' {
        # As in a new session: no spelling learnt yet.
        & (Get-Module EntraAuth) { $script:EntraAuthTargets.Clear() }
        $resolveTarget = { $Request.flow -eq 'resolveTarget' }
        Mock Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter $resolveTarget -MockWith {
            throw 'resolveTarget was asked'
        }
        $null = Get-Header $secret
        Should -Invoke Invoke-EntraAuthCore -ModuleName EntraAuth -ParameterFilter $resolveTarget -Times 0 -Exactly
        # The spelling is learnt: the same call from the full way needs no resolveTarget either, and hits.
        $call = @{ TenantId = $app.TenantId; ClientId = $app.ClientId; ClientSecret = $secret }
        $null = Build-MicrosoftEntraIDApplicationAccessHeader @call -PassThru 6>$null
        Get-TokenCount | Should -Be 1
    }

    It ('asks what a new spelling is for only when the cache holds an entry of the same flow, tenant, client ' +
        'and source') {
        $null = Get-Header $secret
        InModuleScope EntraAuth -Parameters @{ App = $app } {
            param($App)
            $state = $ExecutionContext.SessionState
            $parameters = @{
                TenantId = $App.TenantId; ClientId = $App.ClientId; ClientSecret = 'x'
                Scope = @('https://graph.microsoft.com')
            }
            $same = New-EntraAuthSavedCall -SetName ClientSecret -Parameters $parameters -SessionState $state
            $same.Key | Should -BeNullOrEmpty
            Test-EntraAuthCacheMayHold -SavedCall $same | Should -BeTrue
            $parameters = @{
                TenantId = $App.TenantId; ClientId = [guid]::NewGuid().ToString(); ClientSecret = 'x'
                Scope = @('https://graph.microsoft.com')
            }
            $otherClient = New-EntraAuthSavedCall -SetName ClientSecret -Parameters $parameters -SessionState $state
            Test-EntraAuthCacheMayHold -SavedCall $otherClient | Should -BeFalse
        }
    }
}
