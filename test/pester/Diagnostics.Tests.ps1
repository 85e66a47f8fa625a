# Test-MicrosoftEntraIDApplicationAccess against the emulator: each check passes in one case and fails, with its Fix,
# in another the emulator produces (docs/diagnostics.md lists them); -Quiet; and no secret in any output.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $app = Get-TestApp -Name 'automation'
    $secret = $app.Secrets[0].value
    $noConsent = Get-TestApp -Name 'no-consent'
    $certificateApp = Get-TestApp -Name 'certificate-app'
    $reader = Get-TestApp -Name 'registration-reader'
    $endingSoon = Get-TestApp -Name 'secret-ending-soon'
    $mi = Get-EmulatorManagedIdentity
    $node = $env:ENTRAAUTH_TEST_NODE
    if (-not $node) { $node = (Get-Command node -CommandType Application).Source }
    $identityVariables = 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'AZURE_FEDERATED_TOKEN_FILE',
        'AZURE_TENANT_ID', 'AZURE_CLIENT_ID'

    function Get-Check([object[]] $Checks, [string] $Name) {
        $found = @($Checks | Where-Object Name -EQ $Name)
        $found.Count | Should -Be 1 -Because "the checklist has one '$Name' check"
        $found[0]
    }
    function Test-Access { Test-MicrosoftEntraIDApplicationAccess @args 6>$null }
    function Start-RecordingProxy([string] $Credentials) {
        $log = Join-Path $TestDrive "proxy-$([guid]::NewGuid()).log"
        Set-Content -LiteralPath $log -Value '' -NoNewline
        $startInfo = [System.Diagnostics.ProcessStartInfo]::new($node)
        $arguments = @((Join-Path $PSScriptRoot '../proxy/recordingProxy.mjs'), $log) +
            @($Credentials | Where-Object { $_ })
        foreach ($argument in $arguments) { $startInfo.ArgumentList.Add($argument) }
        $startInfo.RedirectStandardInput = $true
        $startInfo.RedirectStandardOutput = $true
        $startInfo.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($startInfo)
        $url = (ConvertFrom-Json -InputObject $process.StandardOutput.ReadLine()).url
        [pscustomobject]@{ Process = $process; Url = $url }
    }
    # The emulator by a name no DNS resolves (test/emulator/tls.ts PROXIED_LOGIN_NAME): only a proxy reaches it.
    $proxiedLogin = "https://login.emulator.test:$(([uri](Get-EmulatorUrl)).Port)"
    $openProxy = Start-RecordingProxy
    $guardedProxy = Start-RecordingProxy -Credentials 'automation:p@ss:w0rd'
}

AfterAll {
    foreach ($proxy in $openProxy, $guardedProxy) {
        $proxy.Process.StandardInput.Close()
        if (-not $proxy.Process.WaitForExit(3000)) { $proxy.Process.Kill() }
    }
    foreach ($name in $identityVariables) { Remove-Item -Path "Env:$name" -ErrorAction SilentlyContinue }
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'A working app' {
    BeforeAll {
        Reset-Emulator
        $call = @{
            TenantId = $app.TenantId
            ClientId = $app.ClientId
            ClientSecret = $secret
            Uri = "$(Get-EmulatorUrl)/_emulator/api/me?role=User.Read.All"
        }
        $checks = Test-Access @call
    }
    It 'returns one EntraAuth.DiagnosticCheck per check, none failing' {
        $checks.Count | Should -BeGreaterThan 10
        foreach ($check in $checks) { $check.PSObject.TypeNames | Should -Contain 'EntraAuth.DiagnosticCheck' }
        @($checks | Where-Object Status -EQ 'Fail') | Should -BeNullOrEmpty
    }
    It '<_> passes' -ForEach @(
        'Tenant', 'Client id', 'Client secret', 'Scope', 'TLS', 'Proxy', 'Tenant discovery', 'Clock',
        'Token request', 'Token claims', 'Resource'
    ) {
        (Get-Check $checks $_).Status | Should -Be 'Pass'
    }
    It 'TLS names the issuer the emulator''s CA, taken as expected through ENTRAAUTH_TLS_EXPECTED_ISSUERS' {
        (Get-Check $checks 'TLS').Detail | Should -Match "issued by 'EntraAuth emulator throwaway CA', trusted"
    }
    It 'the token claims show audience, roles and expiry' {
        $pattern = 'audience https://graph\.microsoft\.com, roles User\.Read\.All, Group\.Read\.All, ' +
            'expires in \d+ min'
        (Get-Check $checks 'Token claims').Detail | Should -Match $pattern
    }
    It 'checks that do not apply are skipped with the reason' {
        (Get-Check $checks 'Managed identity').Detail | Should -Match 'does not use a managed identity'
        (Get-Check $checks 'Federated token').Detail | Should -Match 'does not use workload identity'
        $expiry = Get-Check $checks 'Secret expiry'
        $expiry.Status | Should -Be 'Skip'
        $expiry.Detail | Should -Match 'Application\.Read\.All.*cannot read its own registration'
    }
    It 'asks Entra for one token only' {
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).Count | Should -Be 1
    }
    It '-Quiet returns $true' {
        $result = Test-Access -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -Quiet
        $result | Should -BeOfType [bool]
        $result | Should -BeTrue
    }
    It 'the view reads as a checklist' {
        $text = $checks | Out-String -Width 200
        $text | Should -Match '\[PASS\] Tenant\s+bc88430d'
        $text | Should -Match '\[SKIP\] Managed identity'
    }
}

Describe 'Input checks fail before any network call' {
    BeforeEach { Reset-Emulator }
    It '<Name> fails with its fix, and nothing is sent' -ForEach @(
        @{ Name = 'Tenant'; Change = @{ TenantId = 'not a tenant!' }; Fix = 'Directory \(tenant\) ID' }
        @{ Name = 'Client id'; Change = @{ ClientId = 'my-automation-app' }; Fix = 'Application \(client\) ID' }
        @{
            Name = 'Client secret'
            Change = @{ ClientSecret = 'ef100e44-1239-4b76-9073-64747bb521df' }
            Fix = 'not its Secret ID'
        }
        @{ Name = 'Scope'; Change = @{ Scope = 'User.Read.All' }; Fix = '/\.default' }
    ) {
        $call = @{ TenantId = $app.TenantId; ClientId = $app.ClientId; ClientSecret = $secret }
        foreach ($key in $Change.Keys) { $call[$key] = $Change[$key] }
        $checks = Test-Access @call
        $check = Get-Check $checks $Name
        $check.Status | Should -Be 'Fail'
        $check.Fix | Should -Match $Fix
        (Get-Check $checks 'Token request').Detail | Should -Match 'nothing was sent'
        @(Get-EmulatorRequests) | Should -BeNullOrEmpty
        Test-Access @call -Quiet | Should -BeFalse
    }
}

Describe 'Reachability' {
    BeforeEach { Reset-Emulator }
    It 'TLS fails for a certificate of another CA, named as a TLS-inspecting proxy, and no token is asked for' {
        $call = @{
            TenantId = $app.TenantId
            ClientId = $app.ClientId
            ClientSecret = $secret
            AuthorityHost = $env:ENTRAAUTH_TEST_INSPECTING_LOGIN
        }
        $checks = Test-Access @call
        $tls = Get-Check $checks 'TLS'
        $tls.Status | Should -Be 'Fail'
        $pattern = "issued by 'Contoso TLS Inspection CA', " +
            "not a CA Microsoft's login hosts use: a TLS-inspecting proxy"
        $tls.Detail | Should -Match $pattern
        $tls.Fix | Should -Match 'add its root CA'
        (Get-Check $checks 'Token request').Status | Should -Be 'Skip'
        @(Get-EmulatorTokenRequests) | Should -BeNullOrEmpty
    }
    It 'Proxy passes through a proxy that connects, and TLS is checked through it' {
        $call = @{
            TenantId = $app.TenantId
            ClientId = $app.ClientId
            ClientSecret = $secret
            AuthorityHost = $proxiedLogin
            Proxy = $openProxy.Url
        }
        $checks = Test-Access @call
        $proxy = Get-Check $checks 'Proxy'
        $proxy.Status | Should -Be 'Pass'
        $proxy.Detail | Should -Match "through the proxy $([regex]::Escape($openProxy.Url.TrimEnd('/')))"
        (Get-Check $checks 'TLS').Status | Should -Be 'Pass'
        (Get-Check $checks 'Token request').Status | Should -Be 'Pass'
    }
    It 'Proxy fails for a proxy that wants credentials (407), with the fix' {
        $call = @{
            TenantId = $app.TenantId
            ClientId = $app.ClientId
            ClientSecret = $secret
            AuthorityHost = $proxiedLogin
            Proxy = $guardedProxy.Url
        }
        $checks = Test-Access @call
        $proxy = Get-Check $checks 'Proxy'
        $proxy.Status | Should -Be 'Fail'
        $proxy.Detail | Should -Match '407'
        $proxy.Fix | Should -Match 'credentials in its URL'
    }
    It 'Tenant discovery fails for a tenant this cloud does not know' {
        $checks = Test-Access -TenantId 'northwind.onmicrosoft.com' -ClientId $app.ClientId -ClientSecret $secret
        $discovery = Get-Check $checks 'Tenant discovery'
        $discovery.Status | Should -Be 'Fail'
        $discovery.Detail | Should -Match "The tenant 'northwind\.onmicrosoft\.com' is not known"
        $discovery.Fix | Should -Match '-Environment USGov or China'
    }
}

Describe 'Clock' {
    AfterEach { Reset-Emulator }
    It '<Status> for a clock <Offset> s off, with the fix' -ForEach @(
        @{ Offset = 120; Status = 'Warn' }
        @{ Offset = -400; Status = 'Fail' }
    ) {
        Set-EmulatorClock -OffsetSeconds $Offset
        $clock = Get-Check (Test-Access -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret) 'Clock'
        $clock.Status | Should -Be $Status
        $seconds = [math]::Abs($Offset)
        $clock.Detail | Should -Match "$($seconds - 1)|$($seconds)|$($seconds + 1) s"
        $clock.Fix | Should -Match 'time synchronisation.*AADSTS700024'
    }
}

Describe 'Token and claims' {
    BeforeEach { Reset-Emulator }
    It 'Token request fails for a wrong secret with Entra''s code and fix' {
        $checks = Test-Access -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret "$secret-wrong"
        $token = Get-Check $checks 'Token request'
        $token.Status | Should -Be 'Fail'
        $token.Detail | Should -Match 'AADSTS7000215'
        $token.Fix | Should -Not -BeNullOrEmpty
        (Get-Check $checks 'Token claims').Status | Should -Be 'Skip'
    }
    It 'Token claims fail for an app-only token without roles, with the admin consent URL of the app' {
        $call = @{
            TenantId = $noConsent.TenantId
            ClientId = $noConsent.ClientId
            ClientSecret = $noConsent.Secrets[0].value
        }
        $checks = Test-Access @call
        (Get-Check $checks 'Token request').Status | Should -Be 'Pass'
        $claims = Get-Check $checks 'Token claims'
        $claims.Status | Should -Be 'Fail'
        $claims.Detail | Should -Match 'no roles'
        $consentUrl = "$(Get-EmulatorUrl)/$($noConsent.TenantId)/adminconsent?client_id=$($noConsent.ClientId)"
        $claims.Fix | Should -Match ([regex]::Escape($consentUrl))
    }
    It 'Secret expiry fails for an expired secret' {
        $call = @{ TenantId = $app.TenantId; ClientId = $app.ClientId; ClientSecret = $app.Secrets[2].value }
        $expiry = Get-Check (Test-Access @call) 'Secret expiry'
        $expiry.Status | Should -Be 'Fail'
        $expiry.Detail | Should -Match 'AADSTS7000222'
        $expiry.Fix | Should -Match 'Make a new secret'
    }
    It 'Secret expiry passes with the end date when the app may read its registration (Application.Read.All)' {
        $call = @{ TenantId = $reader.TenantId; ClientId = $reader.ClientId; ClientSecret = $reader.Secrets[0].value }
        $expiry = Get-Check (Test-Access @call) 'Secret expiry'
        $expiry.Status | Should -Be 'Pass'
        $keyId = $reader.Secrets[0].id
        $pattern = "The secret 'runbook' \(key id $keyId\) " +
            "ends on \d{4}-\d\d-\d\d, in (399|400) days"
        $expiry.Detail | Should -Match $pattern
        @(Get-EmulatorRequests | Where-Object path -Like '/v1.0/applications*').Count | Should -Be 1
    }
    It 'Secret expiry warns for a secret that ends within 30 days, with the fix' {
        $soonSecret = $endingSoon.Secrets[0].value
        $call = @{ TenantId = $endingSoon.TenantId; ClientId = $endingSoon.ClientId; ClientSecret = $soonSecret }
        $expiry = Get-Check (Test-Access @call) 'Secret expiry'
        $expiry.Status | Should -Be 'Warn'
        $expiry.Detail | Should -Match "The secret 'nightly job' .* in (9|10) days"
        $expiry.Fix | Should -Match 'Make a new secret'
    }
    It 'Secret expiry is skipped, naming the role to add, when the token cannot read its registration' {
        $call = @{ TenantId = $app.TenantId; ClientId = $app.ClientId; ClientSecret = $secret }
        $expiry = Get-Check (Test-Access @call) 'Secret expiry'
        $expiry.Status | Should -Be 'Skip'
        $expiry.Detail | Should -Match 'add the application permission Application\.Read\.All of Microsoft Graph'
        @(Get-EmulatorRequests | Where-Object path -Like '/v1.0/applications*') | Should -BeNullOrEmpty
    }
    It 'Resource fails with 403 for a permission the token lacks, explained from its roles' {
        $call = @{
            TenantId = $noConsent.TenantId
            ClientId = $noConsent.ClientId
            ClientSecret = $noConsent.Secrets[0].value
            Uri = "$(Get-EmulatorUrl)/_emulator/api/me?role=User.Read.All"
        }
        $resource = Get-Check (Test-Access @call) 'Resource'
        $resource.Status | Should -Be 'Fail'
        $resource.Detail | Should -Match 'HTTP 403 for a token for https://graph\.microsoft\.com with no roles'
        $resource.Fix | Should -Match 'grant admin consent.*adminconsent\?client_id='
    }
}

Describe 'Certificates' {
    BeforeAll {
        $good = New-TestCertificate -Subject 'CN=EntraAuth diagnostics good'
        Register-EmulatorCertificate -App $certificateApp -Certificate $good
        $soon = New-TestCertificate -Subject 'CN=EntraAuth diagnostics soon' -ValidToDays 10
        $expired = New-TestCertificate -Subject 'CN=EntraAuth diagnostics expired' -ValidFromDays -30 -ValidToDays -1
        $publicOnly = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($good.RawData)
        $smallKey = [System.Security.Cryptography.RSA]::Create(1024)
        $sha256 = [System.Security.Cryptography.HashAlgorithmName]::SHA256
        $pkcs1 = [System.Security.Cryptography.RSASignaturePadding]::Pkcs1
        $requestType = [System.Security.Cryptography.X509Certificates.CertificateRequest]
        $smallRequest = $requestType::new('CN=EntraAuth diagnostics small', $smallKey, $sha256, $pkcs1)
        $notBefore = [DateTimeOffset]::UtcNow.AddDays(-1)
        $notAfter = [DateTimeOffset]::UtcNow.AddDays(100)
        $small = $smallRequest.CreateSelfSigned($notBefore, $notAfter)
    }
    It 'a registered certificate passes, with the thumbprint Entra matches' {
        $checks = Test-Access -TenantId $certificateApp.TenantId -ClientId $certificateApp.ClientId -Certificate $good
        foreach ($name in 'Certificate', 'Certificate key', 'Certificate expiry', 'Token request', 'Token claims') {
            (Get-Check $checks $name).Status | Should -Be 'Pass' -Because $name
        }
        (Get-Check $checks 'Certificate').Detail | Should -Match "thumbprint $($good.Thumbprint)"
        (Get-Check $checks 'Certificate key').Detail | Should -Match 'RSA 2048 bits'
    }
    It 'Certificate fails without its private key' {
        $call = @{ TenantId = $certificateApp.TenantId; ClientId = $certificateApp.ClientId; Certificate = $publicOnly }
        $check = Get-Check (Test-Access @call) 'Certificate'
        $check.Status | Should -Be 'Fail'
        $check.Detail | Should -Match 'has no private key'
        $check.Fix | Should -Match 'together with its private key'
    }
    It 'Certificate key fails for 1024 bits' {
        $call = @{ TenantId = $certificateApp.TenantId; ClientId = $certificateApp.ClientId; Certificate = $small }
        $check = Get-Check (Test-Access @call) 'Certificate key'
        $check.Status | Should -Be 'Fail'
        $check.Fix | Should -Match 'RSA key of 2048 bits or more'
    }
    It 'Certificate expiry warns 30 days ahead and fails once expired' {
        $call = @{ TenantId = $certificateApp.TenantId; ClientId = $certificateApp.ClientId; Certificate = $soon }
        $warned = Get-Check (Test-Access @call) 'Certificate expiry'
        $warned.Status | Should -Be 'Warn'
        $warned.Detail | Should -Match 'in (9|10) days'
        $call = @{ TenantId = $certificateApp.TenantId; ClientId = $certificateApp.ClientId; Certificate = $expired }
        $failed = Get-Check (Test-Access @call) 'Certificate expiry'
        $failed.Status | Should -Be 'Fail'
        $failed.Detail | Should -Match 'expired on'
        $failed.Fix | Should -Match 'Create a new certificate, upload it'
    }
}

Describe 'Managed identity and federation' {
    AfterEach { foreach ($name in $identityVariables) { Remove-Item -Path "Env:$name" -ErrorAction SilentlyContinue } }
    It 'Managed identity passes with the source and the identity that would be used' {
        $env:IDENTITY_ENDPOINT = $mi.Endpoints.appServiceEndpoint
        $env:IDENTITY_HEADER = $mi.Fixture.identityHeader
        $checks = Test-Access -ManagedIdentity -Scope https://management.azure.com
        $check = Get-Check $checks 'Managed identity'
        $check.Status | Should -Be 'Pass'
        $check.Detail | Should -Match 'Source App Service.*the system-assigned identity would be used'
        (Get-Check $checks 'Token request').Status | Should -Be 'Pass'
        (Get-Check $checks 'TLS').Detail | Should -Match 'not from the login host'
    }
    It 'Managed identity fails for a malformed identity, with the fix' {
        $check = Get-Check (Test-Access -ManagedIdentity -ManagedIdentityResourceId 'my-identity') 'Managed identity'
        $check.Status | Should -Be 'Fail'
        $check.Fix | Should -Match 'Properties page'
    }
    It 'Federated token passes and shows issuer, subject and audience decoded' {
        $assertion = New-EmulatorFederatedToken -Subject 'system:serviceaccount:automation:runner'
        $checks = Test-Access -TenantId $app.TenantId -ClientId $app.ClientId -ClientAssertion $assertion
        $check = Get-Check $checks 'Federated token'
        $check.Status | Should -Be 'Pass'
        $pattern = 'issuer https://oidc\.prod-aks\.azure\.com/.*subject system:serviceaccount:automation:runner, ' +
            'audience api://AzureADTokenExchange'
        $check.Detail | Should -Match $pattern
        ($checks | Out-String) | Should -Not -Match ([regex]::Escape($assertion))
    }
    It 'Federated token fails for a subject no federated credential has, with the credential to add' {
        $file = Join-Path $TestDrive 'token'
        $otherToken = New-EmulatorFederatedToken -Subject 'system:serviceaccount:automation:other'
        [System.IO.File]::WriteAllText($file, $otherToken)
        $env:AZURE_FEDERATED_TOKEN_FILE = $file
        $checks = Test-Access -WorkloadIdentity -TenantId $app.TenantId -ClientId $app.ClientId
        $check = Get-Check $checks 'Federated token'
        $check.Status | Should -Be 'Fail'
        $detailPattern = 'AZURE_FEDERATED_TOKEN_FILE.*subject system:serviceaccount:automation:other.*AADSTS700213'
        $check.Detail | Should -Match $detailPattern
        $fixPattern = 'Add a federated credential .* subject system:serviceaccount:automation:other, ' +
            'audience api://AzureADTokenExchange'
        $check.Fix | Should -Match $fixPattern
    }
}

Describe 'No secret in any output' {
    BeforeAll { $tricky = $app.Secrets[1].value }
    It 'streams, objects and a transcript of passing and failing checklists hold neither secret nor token' {
        $transcript = Join-Path $TestDrive 'transcript.txt'
        Start-Transcript -Path $transcript | Out-Null
        try {
            $passing = @{
                TenantId = $app.TenantId
                ClientId = $app.ClientId
                ClientSecret = $tricky
                Uri = "$(Get-EmulatorUrl)/_emulator/api/me"
            }
            $all = @(Test-MicrosoftEntraIDApplicationAccess @passing -Verbose -Debug *>&1)
            $wrong = @{ TenantId = $app.TenantId; ClientId = $app.ClientId; ClientSecret = "$tricky-wrong" }
            $all += @(Test-MicrosoftEntraIDApplicationAccess @wrong -Verbose -Debug *>&1)
            $secure = @{
                TenantId = $app.TenantId
                ClientId = $app.ClientId
                ClientSecret = (ConvertTo-SecureString $tricky -AsPlainText -Force)
            }
            $all += @(Test-MicrosoftEntraIDApplicationAccess @secure *>&1)
            foreach ($reading in $reader, $endingSoon) {
                $readingSecret = $reading.Secrets[0].value
                $call = @{ TenantId = $reading.TenantId; ClientId = $reading.ClientId; ClientSecret = $readingSecret }
                $all += @(Test-MicrosoftEntraIDApplicationAccess @call -Verbose -Debug *>&1)
            }
            $all | Out-Host
            $all | Format-List * | Out-Host
        }
        finally { Stop-Transcript | Out-Null }
        $rendered = ($all | Out-String -Width 500)
        $values = ($all | ForEach-Object { "$_"; $_.PSObject.Properties | ForEach-Object { [string]$_.Value } })
        $text = $rendered + $values -join "`n"
        $text | Should -Match 'Token request'
        $text | Should -Match "ends on \d{4}-\d\d-\d\d, in"
        $content = Get-Content -Raw $transcript
        foreach ($haystack in $text, $content) {
            $haystack | Should -Not -Match ([regex]::Escape($tricky))
            $haystack | Should -Not -Match 'eyJ[\w-]{10,}\.[\w-]{10,}'
            foreach ($reading in $reader, $endingSoon) {
                # The secret, and Graph's hint of it (its first three characters): compared, never shown.
                $haystack | Should -Not -Match ([regex]::Escape($reading.Secrets[0].value))
                $haystack | Should -Not -MatchExactly ([regex]::Escape($reading.Secrets[0].value.Substring(0, 3)))
            }
        }
    }
}
