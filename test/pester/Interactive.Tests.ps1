# -Interactive: how the parameters become the request, the default clients, the no-browser error, and the flow end to
# end with a scripted browser (real headless Chromium drives it in test/browser). Both Pester runs: node and the executable.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $graphTools = Get-TestApp -Name 'microsoft-graph-command-line-tools'
    $azurePowerShell = Get-TestApp -Name 'azure-powershell'
    $node = $env:ENTRAAUTH_TEST_NODE
    if (-not $node) { $node = (Get-Command node).Source }
    $script:opener = Join-Path $TestDrive 'scripted-browser.sh'
    $browserScript = Join-Path $PSScriptRoot 'scripted-browser.mjs'
    Set-Content -Path $script:opener -Value "#!/bin/sh`nexec '$node' '$browserScript' `"`$@`"`n" -NoNewline
    if ($IsLinux -or $IsMacOS) { chmod +x $script:opener }
}

AfterAll {
    Remove-Item Env:ENTRAAUTH_BROWSER, Env:ENTRAAUTH_TEST_BROWSER_ACTION -ErrorAction Ignore
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'Interactive sign-in: the request' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache }

    It 'defaults: organizations, the Graph tools client for Graph, Azure PowerShell for Azure Resource Manager, 300 s; hint and prompt passed on' {
        $script:sent = @()
        Mock Invoke-EntraAuthCore -ModuleName EntraAuth {
            $script:sent += $Request
            @{ tokenType = 'Bearer'; accessToken = 'header.payload.signature'; expiresOn = [DateTime]::UtcNow.AddHours(1).ToString('o') }
        }
        $null = Build-MicrosoftEntraIDApplicationAccessHeader -Interactive -Scope https://graph.microsoft.com/User.Read.All -LoginHint admin@contoso.example -Prompt consent 6>$null
        $null = Get-MicrosoftEntraIDApplicationAccessToken -Interactive -Scope User.Read.All 6>$null
        $null = Get-MicrosoftEntraIDApplicationAccessToken -Interactive -Scope https://management.azure.com 6>$null
        $script:sent[0].flow | Should -Be 'interactive'
        $script:sent[0].tenantId | Should -Be 'organizations'
        $script:sent[0].clientId | Should -Be $graphTools.ClientId
        $script:sent[0].timeoutSec | Should -Be 300
        $script:sent[0].loginHint | Should -Be 'admin@contoso.example'
        $script:sent[0].prompt | Should -Be 'consent'
        # The tests run pwsh -NonInteractive: the module says so, and the core decides (ENTRAAUTH_BROWSER overrides it).
        $script:sent[0].browserUnavailable | Should -Be 'PowerShell runs with -NonInteractive'
        $script:sent[1].clientId | Should -Be $graphTools.ClientId
        $script:sent[2].clientId | Should -Be $azurePowerShell.ClientId
    }

    It 'rejects an unknown -Prompt before anything runs' {
        { Get-MicrosoftEntraIDApplicationAccessToken -Interactive -Prompt none } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Get-MicrosoftEntraIDApplicationAccessToken'
    }
}

Describe 'Interactive sign-in against the emulator' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        Reset-Emulator
        Remove-Item Env:ENTRAAUTH_BROWSER, Env:ENTRAAUTH_TEST_BROWSER_ACTION -ErrorAction Ignore
    }

    It 'where no browser can open it says why and names -DeviceCode, before any request' {
        $record = $null
        try { Get-MicrosoftEntraIDApplicationAccessToken -Interactive 6>$null } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'EntraAuth.ERR_CREDENTIAL_UNAVAILABLE,Get-MicrosoftEntraIDApplicationAccessToken'
        $record.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $record.Exception.Message | Should -Match 'No browser can be opened here: PowerShell runs with -NonInteractive\. Fix: Use -DeviceCode instead'
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'signs in through the opener in ENTRAAUTH_BROWSER; the second call comes from the cache' {
        $env:ENTRAAUTH_BROWSER = $script:opener
        $env:ENTRAAUTH_TEST_BROWSER_ACTION = 'approve'
        $all = Build-MicrosoftEntraIDApplicationAccessHeader -Interactive -Scope https://graph.microsoft.com/User.Read.All 6>&1
        $shown = @($all | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { "$_" })
        $header = @($all | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] })
        $header.Count | Should -Be 1
        $shown[0] | Should -Match '^Sign in with the browser window that opens now .*open this page on this machine: https://127\.0\.0\.1:\d+/organizations/oauth2/v2\.0/authorize\?client_id=14d82eec-204b-4c2f-b7e8-296a70dab67e&'
        $me = Test-EmulatorToken -Authorization $header[0].Authorization
        $me.appId | Should -Be $graphTools.ClientId
        $me.scp | Should -Be 'User.Read.All'
        $again = Build-MicrosoftEntraIDApplicationAccessHeader -Interactive -Scope https://graph.microsoft.com/User.Read.All 6>$null
        $again.Authorization | Should -Be $header[0].Authorization
        @(Get-EmulatorRequests | Where-Object grantType -EQ 'authorization_code').status | Should -Be @(200)
    }

    It 'a declined sign-in is ERR_SIGN_IN_DECLINED; a forged answer with another state is ERR_STATE_MISMATCH' {
        $env:ENTRAAUTH_BROWSER = $script:opener
        $env:ENTRAAUTH_TEST_BROWSER_ACTION = 'decline'
        { Get-MicrosoftEntraIDApplicationAccessToken -Interactive 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_SIGN_IN_DECLINED,Get-MicrosoftEntraIDApplicationAccessToken' -ExpectedMessage '*AADSTS65004*Fix:*'
        $env:ENTRAAUTH_TEST_BROWSER_ACTION = 'forge'
        { Get-MicrosoftEntraIDApplicationAccessToken -Interactive 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_STATE_MISMATCH,Get-MicrosoftEntraIDApplicationAccessToken'
        @(Get-EmulatorRequests | Where-Object grantType -EQ 'authorization_code').Count | Should -Be 0
    }

    It 'no answer within -TimeoutSec: ERR_TIMEOUT on time' {
        $env:ENTRAAUTH_BROWSER = $script:opener
        $env:ENTRAAUTH_TEST_BROWSER_ACTION = 'none'
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        { Get-MicrosoftEntraIDApplicationAccessToken -Interactive -TimeoutSec 2 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_TIMEOUT,Get-MicrosoftEntraIDApplicationAccessToken' -ExpectedMessage '*-TimeoutSec 2 s*-DeviceCode*'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 6
    }
}
