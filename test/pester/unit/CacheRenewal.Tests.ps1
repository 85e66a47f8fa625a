# The session cache and renewals on the module's clock, mocked: hits, misses, another secret, Entra's refresh_in, the
# half-lifetime floor, expiry with the clock moved, silent renewal by refresh token, and the globals renewed on read.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FakeCore.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../../EntraAuth.psd1') -Force
    $script:tenant = '11111111-1111-1111-1111-111111111111'
    $script:client = '22222222-2222-2222-2222-222222222222'
    $script:app = @{ TenantId = $tenant; ClientId = $client }
    function Get-Token {
        param([string] $Secret = 'secret-one', [string[]] $Scope)
        $extra = @{}
        if ($Scope) { $extra.Scope = $Scope }
        Get-MicrosoftEntraIDApplicationAccessToken @app -ClientSecret $Secret @extra 6>$null
    }
}

AfterAll {
    Remove-Variable -Name EntraAuthRefreshMarginSec, EntraAuthLiveGlobals -Scope Global -ErrorAction Ignore
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
    Remove-Module FakeCore -ErrorAction SilentlyContinue
}

Describe 'Session cache and renewal on a mocked clock' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        Remove-Variable -Name EntraAuthRefreshMarginSec, EntraAuthLiveGlobals -Scope Global -ErrorAction Ignore
        Reset-FakeClock
        $script:requests = [System.Collections.Generic.List[hashtable]]::new()
        # What the next token the fake core issues looks like (lifetime, refresh_in, refresh token).
        $script:issue = @{ ExpiresIn = 3600 }
        Mock Get-EntraAuthNow -ModuleName EntraAuth { Get-FakeNow }
        Mock Start-EntraAuthCore -ModuleName EntraAuth { throw 'the unit layer never starts a core' }
        Mock Get-EntraAuthSystemProxy -ModuleName EntraAuth { $null }
        Mock Invoke-EntraAuthCore -ModuleName EntraAuth {
            if ($Request.flow -eq 'resolveTarget') { return New-FakeCoreTarget -Request $Request }
            $script:requests.Add($Request.Clone())
            $options = $script:issue
            New-FakeCoreToken @options -AccessToken "token.number.$($script:requests.Count)"
        }
    }

    It 'a hit: the same call again returns the cached token without a request' {
        $first = Get-Token
        $second = Get-Token
        [string]$second | Should -Be ([string]$first)
        $script:requests.Count | Should -Be 1
    }

    It 'a miss: another scope is another entry' {
        $null = Get-Token
        $other = Get-Token -Scope 'https://management.azure.com/.default'
        [string]$other | Should -Be 'token.number.2'
        $script:requests.Count | Should -Be 2
    }

    It 'another secret never gets the cached token; its own token replaces the entry' {
        $null = Get-Token -Secret 'secret-one'
        $other = Get-Token -Secret 'secret-two'
        [string]$other | Should -Be 'token.number.2'
        [string](Get-Token -Secret 'secret-one') |
            Should -Be 'token.number.3' -Because 'the entry holds the second secret''s token now'
        $script:requests.Count | Should -Be 3
    }

    It 'a token is renewed <Label> (at <RenewAt> s), not before' -ForEach @(
        @{ Label = 'the default 300 s before it expires'; Margin = $null; RenewAt = 3300 }
        @{ Label = '600 s before it expires with $EntraAuthRefreshMarginSec = 600'; Margin = 600; RenewAt = 3000 }
        @{ Label = 'when it expires with $EntraAuthRefreshMarginSec = 0'; Margin = 0; RenewAt = 3600 }
    ) {
        if ($null -ne $Margin) { $global:EntraAuthRefreshMarginSec = $Margin }
        $null = Get-Token
        Move-FakeClock ($RenewAt - 1)
        [string](Get-Token) | Should -Be 'token.number.1'
        Move-FakeClock 1
        [string](Get-Token) | Should -Be 'token.number.2'
        $script:requests.Count | Should -Be 2
    }

    It 'the half-lifetime floor: a token of 400 s with a 300 s margin is renewed at 200 s, not at 100 s' {
        $script:issue = @{ ExpiresIn = 400 }
        $null = Get-Token
        Move-FakeClock 150
        [string](Get-Token) | Should -Be 'token.number.1' -Because 'half its lifetime has not passed'
        Move-FakeClock 50
        [string](Get-Token) | Should -Be 'token.number.2'
    }

    It 'a margin above the lifetime still waits half the lifetime, so a short token is not asked for at every use' {
        $global:EntraAuthRefreshMarginSec = 3600
        $script:issue = @{ ExpiresIn = 60 }
        $null = Get-Token
        foreach ($step in 1..29) { Move-FakeClock 1; $null = Get-Token }
        $script:requests.Count | Should -Be 1
        Move-FakeClock 1
        $null = Get-Token
        $script:requests.Count | Should -Be 2
    }

    It 'Entra''s refresh_in comes before the margin: renewed from then on' {
        $script:issue = @{ ExpiresIn = 7200; RefreshIn = 3600 }
        $null = Get-Token
        Move-FakeClock 3599
        [string](Get-Token) | Should -Be 'token.number.1'
        Move-FakeClock 1
        [string](Get-Token) | Should -Be 'token.number.2'
    }

    It 'an expired entry with a refresh token is renewed silently by the refresh token' {
        $script:issue = @{ ExpiresIn = 3600; RefreshToken = 'refresh-from-sign-in' }
        $null = Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -Scope User.Read 6>$null
        Move-FakeClock 3600
        $renewed = Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -Scope User.Read 6>$null
        [string]$renewed | Should -Be 'token.number.2'
        $script:requests[1].flow | Should -Be 'refreshToken'
        $refreshToken = [pscredential]::new('x', $script:requests[1].refreshToken).GetNetworkCredential().Password
        $refreshToken | Should -Be 'refresh-from-sign-in'
        @($script:requests[1].scopes) | Should -Contain 'offline_access'
    }

    It '-Force skips a fresh entry and replaces it' {
        $null = Get-Token
        $forced = Get-MicrosoftEntraIDApplicationAccessToken @app -ClientSecret 'secret-one' -Force 6>$null
        [string]$forced | Should -Be 'token.number.2'
        [string](Get-Token) | Should -Be 'token.number.2'
    }

    It 'Clear-MicrosoftEntraIDTokenCache forgets the entry' {
        $null = Get-Token
        Clear-MicrosoftEntraIDTokenCache
        [string](Get-Token) | Should -Be 'token.number.2'
    }

    It 'the global renews itself when read after its renewal time, and not before' {
        $null = Get-Token
        $global:MicrosoftEntraIDAccessToken | Should -Be 'Bearer token.number.1'
        Move-FakeClock 3299
        $global:MicrosoftEntraIDAccessToken | Should -Be 'Bearer token.number.1'
        Move-FakeClock 1
        $global:MicrosoftEntraIDAccessToken | Should -Be 'Bearer token.number.2'
        $script:requests.Count | Should -Be 2
    }

    It 'the -Verbose facts count the time left on the module''s clock' {
        $null = Get-Token
        Move-FakeClock 1800
        $output = Get-MicrosoftEntraIDApplicationAccessToken @app -ClientSecret 'secret-one' -Verbose 4>&1 6>$null
        $verbose = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $verbose | Should -Match 'Token from the session cache .* \(in 30 min\)'
    }
}
