# The token facts line of a cached token: minutes from the protocol table's tokenFactsMinutesFromSec on, seconds below,
# as the core's line for a new token (src/log/tokenFacts.ts, test/unit/log/tokenFacts.test.ts).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../../EntraAuth.psd1') -Force
}

AfterAll { Remove-Module EntraAuth -ErrorAction SilentlyContinue }

Describe 'Format-EntraAuthTokenFacts' {
    It 'says <Expected> for a token with <Seconds> s left' -ForEach @(
        @{ Seconds = 3600; Expected = '(in 60 min)' }
        @{ Seconds = 150; Expected = '(in 3 min)' }
        @{ Seconds = 100; Expected = '(in 100 s)' }
    ) {
        $text = InModuleScope EntraAuth -Parameters @{ Seconds = $Seconds } {
            param($Seconds)
            # Half a second more: the line is formatted a moment after the token was made.
            $token = [pscustomobject]@{ ExpiresOn = [DateTime]::UtcNow.AddSeconds($Seconds + 0.5); Audience = 'https://graph.microsoft.com'; Roles = @('User.Read.All'); Scope = $null }
            Format-EntraAuthTokenFacts -Token $token -Source 'the session cache'
        }
        $text | Should -BeLike "Token from the session cache for https://graph.microsoft.com, expires * UTC $Expected; roles User.Read.All"
    }

    It 'takes its rule from the protocol table' {
        InModuleScope EntraAuth { $script:EntraAuthTokenFactsMinutesFromSec } | Should -Be 120
    }
}
