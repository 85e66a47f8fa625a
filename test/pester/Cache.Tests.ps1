# The session cache (same call -> same token, -Force, Clear-MicrosoftEntraIDTokenCache, margin, refresh tokens) and the
# globals that renew themselves through a read breakpoint.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $app = Get-TestApp -Name 'automation'
    $secret = $app.Secrets[0].value
    $otherSecret = $app.Secrets[1].value
    function Get-Header { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret 6>$null }
    function Get-TokenCount { @(Get-EmulatorTokenRequests -ClientId $app.ClientId).Count }
}

AfterAll {
    Set-EntraAuthTestClock 0
    Remove-Variable -Name EntraAuthRefreshMarginSec, EntraAuthLiveGlobals -Scope Global -ErrorAction Ignore
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'Session cache' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        Set-EntraAuthTestClock 0
        Remove-Variable -Name EntraAuthRefreshMarginSec, EntraAuthLiveGlobals -Scope Global -ErrorAction Ignore
        Reset-Emulator
    }

    It 'a second identical call returns the cached token without asking Entra, and -Verbose says what it is for' {
        $first = Get-Header
        $output = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -Verbose 4>&1 6>$null
        $verbose = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $header = $output | Where-Object { $_ -is [hashtable] }
        $header.Authorization | Should -Be $first.Authorization
        Get-TokenCount | Should -Be 1
        $verbose | Should -Match 'Token from the session cache for https://graph\.microsoft\.com, expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in (59|60) min\); roles User\.Read\.All Group\.Read\.All'
        $verbose | Should -Not -Match 'eyJ'
    }

    It 'another scope is another entry; another secret gets its own token, which replaces the cached one' {
        $null = Get-Header
        $null = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -Scope https://management.azure.com 6>$null
        $null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret 6>$null
        Get-TokenCount | Should -Be 2 -Because 'Get- with the same parameters as Build- is the same call'
        $null = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $otherSecret 6>$null
        $null = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret (ConvertTo-SecureString $otherSecret -AsPlainText -Force) 6>$null
        Get-TokenCount | Should -Be 3 -Because 'the same secret as a SecureString is the same call'
        $null = Get-Header
        Get-TokenCount | Should -Be 4
    }

    It 'another user''s refresh token never gets the cached token' {
        $mine = New-EmulatorRefreshToken -TenantId $app.TenantId -ClientId $app.ClientId
        $theirs = New-EmulatorRefreshToken -TenantId $app.TenantId -ClientId $app.ClientId
        $null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -RefreshToken $mine 6>$null
        $null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -RefreshToken $theirs 6>$null
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).grantType | Should -Be @('refresh_token', 'refresh_token')
    }

    It 'a wrong secret is not answered from the cache of the right one' {
        $null = Get-Header
        { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret 'not-the-secret' 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_AUTH_FAILED,*'
    }

    It '-Force gets a new token and caches it instead' {
        $first = Get-Header
        $forced = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -Force 6>$null
        $forced.Authorization | Should -Not -Be $first.Authorization
        (Get-Header).Authorization | Should -Be $forced.Authorization
        Get-TokenCount | Should -Be 2
    }

    It 'Clear-MicrosoftEntraIDTokenCache forgets every token; -WhatIf does not' {
        $null = Get-Header
        Clear-MicrosoftEntraIDTokenCache -WhatIf
        $null = Get-Header
        Get-TokenCount | Should -Be 1
        Clear-MicrosoftEntraIDTokenCache
        $null = Get-Header
        Get-TokenCount | Should -Be 2
    }

    It 'a token within $EntraAuthRefreshMarginSec of its expiry is renewed: by the same secret' {
        $first = Get-Header
        Set-EntraAuthTestClock 3400   # 199 s left of the emulator's 3599 s: within the 300 s margin
        (Get-Header).Authorization | Should -Not -Be $first.Authorization
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).grantType | Should -Be @('client_credentials', 'client_credentials')
    }

    It 'a refresh token is renewed silently with the rotated refresh token from the cache, held as SecureString' {
        $refreshToken = New-EmulatorRefreshToken -TenantId $app.TenantId -ClientId $app.ClientId
        $first = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -RefreshToken $refreshToken 6>$null
        $first.RefreshToken | Should -BeOfType [securestring]
        Set-EntraAuthTestClock 3400
        # The emulator revoked $refreshToken when it was redeemed: only the rotated one from the cache works now.
        $second = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -RefreshToken $refreshToken 6>$null
        "$second" | Should -Not -Be "$first"
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).status | Should -Be @(200, 200)
    }

    It 'Entra''s refresh_in comes before the margin' {
        $null = Get-Header
        Set-EntraAuthTestClock 2000   # past half the lifetime, well before the margin
        InModuleScope EntraAuth {
            $entry = @($script:EntraAuthTokenCache.Values)[0]
            Test-EntraAuthEntryFresh -Entry $entry -MarginSec 300 | Should -BeTrue
            $entry.RefreshOn = $entry.Token.IssuedOn.AddSeconds(1900)
            Test-EntraAuthEntryFresh -Entry $entry -MarginSec 300 | Should -BeFalse
        }
        $null = Get-Header
        Get-TokenCount | Should -Be 2
    }

    It 'finding 13: -Scope https://graph.microsoft.com, -Scope https://graph.microsoft.com/.default and no -Scope share one entry' {
        $bare = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -Scope https://graph.microsoft.com 6>$null
        $default = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -Scope https://graph.microsoft.com/.default 6>$null
        $none = Get-Header
        Get-TokenCount | Should -Be 1 -Because 'the three spellings are one token'
        $default.Authorization | Should -Be $bare.Authorization
        $none.Authorization | Should -Be $bare.Authorization
        InModuleScope EntraAuth { $script:EntraAuthTokenCache.Count } | Should -Be 1
        $null = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId.ToUpperInvariant() -ClientId $app.ClientId.ToUpperInvariant() -ClientSecret $secret -Scope HTTPS://GRAPH.MICROSOFT.COM/.DEFAULT 6>$null
        Get-TokenCount | Should -Be 1 -Because 'ids and scopes compare without case'
    }

    It 'finding 13: on Linux two certificate files whose names differ only in case are two entries' -Skip:(-not $IsLinux) {
        $certificateApp = Get-TestApp -Name 'certificate-app'
        $certificate = New-TestCertificate -Subject 'CN=EntraAuth cache key'
        Register-EmulatorCertificate -App $certificateApp -Certificate $certificate
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-cache-" + [guid]::NewGuid())
        New-Item -ItemType Directory -Path $folder | Out-Null
        try {
            $lower = Export-TestCertificateFile -Certificate $certificate -Path (Join-Path $folder 'app.pem') -Format pkcs8
            $upper = Export-TestCertificateFile -Certificate $certificate -Path (Join-Path $folder 'APP.pem') -Format pkcs8
            $null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $certificateApp.TenantId -ClientId $certificateApp.ClientId -CertificatePath $lower 6>$null
            $null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $certificateApp.TenantId -ClientId $certificateApp.ClientId -CertificatePath $upper 6>$null
            $null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $certificateApp.TenantId -ClientId $certificateApp.ClientId -CertificatePath $lower 6>$null
            @(Get-EmulatorTokenRequests -ClientId $certificateApp.ClientId).Count | Should -Be 2 -Because 'app.pem and APP.pem are two files on Linux; app.pem again is the same entry'
        }
        finally { Remove-Item -LiteralPath $folder -Recurse -Force }
    }

    It 'a bad $EntraAuthRefreshMarginSec fails before any request, naming the fix' {
        $global:EntraAuthRefreshMarginSec = 'soon'
        { Get-Header } | Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,*' -ExpectedMessage "*EntraAuthRefreshMarginSec is 'soon'*Fix:*default 300*"
        Get-TokenCount | Should -Be 0
    }
}

Describe 'Globals that stay valid' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        Set-EntraAuthTestClock 0
        Remove-Variable -Name EntraAuthRefreshMarginSec, EntraAuthLiveGlobals -Scope Global -ErrorAction Ignore
        Reset-Emulator
    }

    It 'reading $global:MicrosoftEntraIDHeader near expiry renews it in place, with $global:MicrosoftEntraIDAccessToken' {
        $header = Get-Header
        $first = $header.Authorization
        Set-EntraAuthTestClock 3400
        $read = $global:MicrosoftEntraIDHeader.Authorization
        $read | Should -Not -Be $first
        $header.Authorization | Should -Be $read -Because 'the returned hashtable is the same object, renewed in place'
        $global:MicrosoftEntraIDAccessToken | Should -Be $read
        (Test-EmulatorToken -Authorization $read).appId | Should -Be $app.ClientId
        $null = $global:MicrosoftEntraIDHeader; $null = $global:MicrosoftEntraIDAccessToken
        Get-TokenCount | Should -Be 2 -Because 'a fresh token is not renewed on read'
    }

    It 'the header keeps its redacting view after a renewal' {
        $null = Get-Header
        Set-EntraAuthTestClock 3400
        $shown = $global:MicrosoftEntraIDHeader | Out-String
        $shown | Should -Match 'Authorization\s+Bearer \[redacted\] \(expires \d{4}-\d\d-\d\d \d\d:\d\d UTC\)'
        $shown | Should -Not -Match 'eyJ'
    }

    It 'reading $global:MicrosoftEntraIDAccessToken after Get- renews it too' {
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret 6>$null
        Set-EntraAuthTestClock 3400
        $global:MicrosoftEntraIDAccessToken | Should -Not -Be "Bearer $token"
        Get-TokenCount | Should -Be 2
    }

    It 'each global follows its own call: the header of Build- stays a Graph token after Get- asked for another resource' {
        $null = Get-Header
        $arm = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -Scope https://management.azure.com 6>$null
        Set-EntraAuthTestClock 3400
        # One read renews both; the next read only looks.
        $graph = $global:MicrosoftEntraIDHeader.Authorization
        (Test-EmulatorToken -Authorization $graph).aud | Should -Be 'https://graph.microsoft.com'
        $renewedArm = $global:MicrosoftEntraIDAccessToken
        $renewedArm | Should -Not -Be "Bearer $arm"
        (Test-EmulatorToken -Authorization $renewedArm).aud | Should -Be 'https://management.azure.com'
        Get-TokenCount | Should -Be 4
    }

    It '$EntraAuthLiveGlobals = $false leaves the globals as they are' {
        $first = (Get-Header).Authorization
        $global:EntraAuthLiveGlobals = $false
        Set-EntraAuthTestClock 3400
        $global:MicrosoftEntraIDHeader.Authorization | Should -Be $first
        Get-TokenCount | Should -Be 1
    }

    It 'a script that put its own value in the global keeps it' {
        $null = Get-Header
        $global:MicrosoftEntraIDHeader = @{ Authorization = 'Bearer mine' }
        $global:MicrosoftEntraIDAccessToken = 'Bearer mine'
        Set-EntraAuthTestClock 3400
        $global:MicrosoftEntraIDHeader.Authorization | Should -Be 'Bearer mine'
        $global:MicrosoftEntraIDAccessToken | Should -Be 'Bearer mine'
        Get-TokenCount | Should -Be 1
    }

    It 'a renewal that fails keeps the old token, warns with the cause, and tries again later' {
        $first = (Get-Header).Authorization
        Set-EntraAuthTestClock 3400
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ kind = 'noAccessToken' })
        $warnings = & { $null = $global:MicrosoftEntraIDHeader } 3>&1
        "$warnings" | Should -Match "could not renew .*MicrosoftEntraIDHeader.*without 'access_token'"
        $global:MicrosoftEntraIDHeader.Authorization | Should -Be $first
        Get-TokenCount | Should -Be 2 -Because 'the next try waits'
    }

    It 'finding 5: a margin longer than the token lives renews at half its lifetime, never at every read' {
        $global:EntraAuthRefreshMarginSec = 3600   # more than the emulator's 3599 s, as 300 s is more than a 40 s token
        $first = (Get-Header).Authorization
        for ($i = 0; $i -lt 50; $i++) { $null = $global:MicrosoftEntraIDHeader.Authorization }
        Get-TokenCount | Should -Be 1 -Because 'the token is not half its lifetime old yet'
        Set-EntraAuthTestClock 1800   # half of 3599 s: due
        $renewed = $global:MicrosoftEntraIDHeader.Authorization
        $renewed | Should -Not -Be $first
        for ($i = 0; $i -lt 50; $i++) { $null = $global:MicrosoftEntraIDHeader.Authorization; $null = Get-Header }
        Get-TokenCount | Should -Be 2 -Because 'the new token is fresh for another half lifetime, for reads and calls alike'
        (Test-EmulatorToken -Authorization $renewed).appId | Should -Be $app.ClientId
    }

    It 'finding 5: 50 reads after a renewal that brought a negative lifetime send one request, not 50' {
        $first = (Get-Header).Authorization
        $global:EntraAuthRefreshMarginSec = 3600   # more than the token lives, as in the finding
        Set-EntraAuthTestClock 3400
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(1..60 | ForEach-Object { @{ kind = 'expiresIn'; seconds = -60 } })
        $warnings = & { for ($i = 0; $i -lt 50; $i++) { $null = $global:MicrosoftEntraIDHeader.Authorization } } 3>&1
        Get-TokenCount | Should -Be 2 -Because 'the failed renewal waits 10 s before the next try'
        "$(@($warnings)[0])" | Should -Match 'could not renew .*expires_in -60 s, so the token is expired already'
        @($warnings).Count | Should -Be 1
        $global:MicrosoftEntraIDHeader.Authorization | Should -Be $first -Because 'the old token is kept while it lasts'
    }

    It 'finding 5: a first token with a lifetime of <name> is a clear error naming expires_in, not ERR_INTERNAL' -ForEach @(
        @{ name = '0 s'; seconds = 0; message = '*expires_in 0 s, so the token is expired already*Fix:*' }
        @{ name = '-60 s'; seconds = -60; message = '*expires_in -60 s, so the token is expired already*Fix:*' }
        @{ name = '1e20 s'; seconds = 1e20; message = '*expires_in 100000000000000000000 s, more than*Fix:*' }
    ) {
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ kind = 'expiresIn'; seconds = $seconds })
        { Get-Header } | Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_RESPONSE,*' -ExpectedMessage $message
    }

    It 'one breakpoint pair per session, removed by Clear-MicrosoftEntraIDTokenCache and by Remove-Module' {
        $null = Get-Header
        $null = Get-Header
        @(Get-PSBreakpoint -Variable MicrosoftEntraIDHeader).Count | Should -Be 1
        @(Get-PSBreakpoint -Variable MicrosoftEntraIDAccessToken).Count | Should -Be 1
        Clear-MicrosoftEntraIDTokenCache
        @(Get-PSBreakpoint -Variable MicrosoftEntraIDHeader, MicrosoftEntraIDAccessToken).Count | Should -Be 0
        $null = Get-Header
        Remove-Module EntraAuth
        @(Get-PSBreakpoint -Variable MicrosoftEntraIDHeader, MicrosoftEntraIDAccessToken).Count | Should -Be 0
        $null = $global:MicrosoftEntraIDHeader   # no action left behind to fail
        Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    }
}
