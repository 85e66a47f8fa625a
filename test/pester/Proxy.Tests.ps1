# Proxies through the module: the system proxy (through the seam Windows' settings would fill), -Proxy, a proxy's 407,
# and managed identity that never goes through one. The proxies are test/proxy/recordingProxy.mjs on loopback.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $app = Get-TestApp -Name 'automation'
    $secret = $app.Secrets[0].value
    $node = $env:ENTRAAUTH_TEST_NODE
    if (-not $node) { $node = (Get-Command node -CommandType Application).Source }
    $proxyScript = Join-Path $PSScriptRoot '../proxy/recordingProxy.mjs'
    # The emulator by a name no DNS resolves (test/emulator/tls.ts PROXIED_LOGIN_NAME): only a proxy reaches it.
    $emulatorPort = ([uri](Get-EmulatorUrl)).Port
    $proxiedTarget = "login.emulator.test:$emulatorPort"
    $proxiedLogin = "https://$proxiedTarget"
    $proxyVariables = 'ENTRAAUTH_PROXY', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'

    function Start-RecordingProxy([string] $Credentials) {
        $log = Join-Path $TestDrive "proxy-$([guid]::NewGuid()).log"
        Set-Content -LiteralPath $log -Value '' -NoNewline
        $startInfo = [System.Diagnostics.ProcessStartInfo]::new($node)
        foreach ($argument in @($proxyScript, $log) + @($Credentials | Where-Object { $_ })) { $startInfo.ArgumentList.Add($argument) }
        $startInfo.RedirectStandardInput = $true
        $startInfo.RedirectStandardOutput = $true
        $startInfo.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($startInfo)
        $url = (ConvertFrom-Json -InputObject $process.StandardOutput.ReadLine()).url
        [pscustomobject]@{ Process = $process; Url = $url; Log = $log }
    }
    function Get-ProxySeen($Proxy) {
        @(Get-Content -LiteralPath $Proxy.Log | Where-Object { $_ } | ForEach-Object { $entry = ConvertFrom-Json -InputObject $_; "$($entry.method) $($entry.target)" })
    }
    function Clear-ProxySeen { foreach ($proxy in $args) { Set-Content -LiteralPath $proxy.Log -Value '' -NoNewline } }
    function Set-SystemProxy([string] $Url) {
        # What Windows' proxy settings would give: a WebProxy for that address (loopback bypassed, as .NET does).
        InModuleScope EntraAuth -Parameters @{ Url = $Url } {
            param($Url)
            $asked = [System.Collections.ArrayList]::new()
            $script:EntraAuthTestSystemProxyAsked = $asked
            $script:EntraAuthSystemWebProxy = { [void]$asked.Add($Url); [System.Net.WebProxy]::new($Url) }.GetNewClosure()
        }
    }
    function Get-SystemProxyAsked { InModuleScope EntraAuth { $script:EntraAuthTestSystemProxyAsked.Count } }

    $first = Start-RecordingProxy
    $second = Start-RecordingProxy
    $guarded = Start-RecordingProxy -Credentials 'automation:p@ss:w0rd'
    $savedVariables = @{}
    foreach ($name in $proxyVariables) { $savedVariables[$name] = [Environment]::GetEnvironmentVariable($name) }
}

AfterAll {
    foreach ($proxy in $first, $second, $guarded) { $proxy.Process.StandardInput.Close(); if (-not $proxy.Process.WaitForExit(3000)) { $proxy.Process.Kill() } }
    foreach ($name in $proxyVariables) { [Environment]::SetEnvironmentVariable($name, $savedVariables[$name]) }
    InModuleScope EntraAuth { $script:EntraAuthSystemWebProxy = { [System.Net.WebRequest]::GetSystemWebProxy() } }
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'Proxies' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        foreach ($name in $proxyVariables) { [Environment]::SetEnvironmentVariable($name, $null) }
        Clear-ProxySeen $first $second $guarded
        Set-SystemProxy -Url $first.Url
    }

    It 'the system proxy goes to the core in the request and carries the token request' {
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -AuthorityHost $proxiedLogin
        [string]$token | Should -Match '^eyJ'
        Get-ProxySeen $first | Should -Be @("CONNECT $proxiedTarget")
        Get-SystemProxyAsked | Should -Be 1
    }

    It 'a login host the system bypasses (loopback) goes direct' {
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -AuthorityHost (Get-EmulatorUrl)
        [string]$token | Should -Match '^eyJ'
        Get-ProxySeen $first | Should -BeNullOrEmpty
    }

    It 'managed identity never goes through the system proxy, which is not even asked' {
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -ManagedIdentity -Scope https://management.azure.com 6>$null
        $header.Authorization | Should -Match '^Bearer eyJ'
        Get-ProxySeen $first | Should -BeNullOrEmpty
        Get-SystemProxyAsked | Should -Be 0
    }

    It 'HTTPS_PROXY is the core''s: the system is not asked' {
        $env:HTTPS_PROXY = $second.Url
        $null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -AuthorityHost $proxiedLogin
        Get-ProxySeen $second | Should -Be @("CONNECT $proxiedTarget")
        Get-ProxySeen $first | Should -BeNullOrEmpty
        Get-SystemProxyAsked | Should -Be 0
    }

    It '-Proxy wins over HTTPS_PROXY, ENTRAAUTH_PROXY and the system proxy, on both cmdlets' {
        $env:HTTPS_PROXY = $first.Url
        $env:ENTRAAUTH_PROXY = $first.Url
        $null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -AuthorityHost $proxiedLogin -Proxy $second.Url
        $null = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -AuthorityHost $proxiedLogin -Proxy $second.Url -Force
        # One tunnel: the resident core keeps the connection through the proxy alive for the second call.
        Get-ProxySeen $second | Should -Be @("CONNECT $proxiedTarget")
        Get-ProxySeen $first | Should -BeNullOrEmpty
    }

    It 'a proxy that answers 407: a terminating error naming the proxy (no credentials) and the fix, one CONNECT' {
        $withWrongCredentials = $guarded.Url -replace '^http://', 'http://someone:wrong-password@'
        $caught = $null
        try { Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -AuthorityHost $proxiedLogin -Proxy $withWrongCredentials -Verbose 4>$null }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'EntraAuth.ERR_NETWORK*'
        $caught.Exception.Message | Should -BeLike "*The proxy $($guarded.Url) (-Proxy) asks for authentication (HTTP 407*"
        "$caught $($caught.ErrorDetails) $($caught.Exception)" | Should -Not -Match 'wrong-password|someone'
        "$($caught.ErrorDetails.RecommendedAction) $($caught.Exception.Message)" | Should -Match 'user:password@host:port'
        Get-ProxySeen $guarded | Should -Be @("CONNECT $proxiedTarget")
    }

    It 'credentials in -Proxy reach the proxy and never the verbose or debug streams' {
        $withCredentials = $guarded.Url -replace '^http://', "http://automation:$([uri]::EscapeDataString('p@ss:w0rd'))@"
        $output = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -AuthorityHost $proxiedLogin -Proxy $withCredentials -Verbose -Debug 4>&1 5>&1
        @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -or $_ -is [System.Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 0
        ($output | Out-String) | Should -Not -Match 'p@ss|p%40ss|w0rd'
        Get-ProxySeen $guarded | Should -Be @("CONNECT $proxiedTarget")
    }
}
