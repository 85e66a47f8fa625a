# Certificate credentials against the emulator: a token from every input form, with and without x5c, and every error with its message.

BeforeDiscovery {
    $forms = @(
        @{ Name = 'a PFX file with a string password'; Form = 'pfx'; Signer = 'core' }
        @{ Name = 'a PFX file with a SecureString password'; Form = 'pfxSecure'; Signer = 'core' }
        @{ Name = 'a PEM file with a PKCS#8 key'; Form = 'pkcs8'; Signer = 'core' }
        @{ Name = 'a PEM file with a PKCS#1 key'; Form = 'pkcs1'; Signer = 'core' }
        @{ Name = 'an encrypted PEM file (PKCS#8)'; Form = 'pkcs8-encrypted'; Signer = 'core' }
        @{ Name = 'an encrypted PEM file (OpenSSL Proc-Type)'; Form = 'pkcs1-encrypted'; Signer = 'core' }
        @{ Name = 'a thumbprint in Cert:\CurrentUser\My'; Form = 'thumbprint'; Signer = 'core' }
        @{ Name = 'an X509Certificate2 object'; Form = 'object'; Signer = 'core' }
        @{ Name = 'a PFX file, signed in PowerShell'; Form = 'pfx'; Signer = 'PowerShell' }
        @{ Name = 'a thumbprint, signed in PowerShell'; Form = 'thumbprint'; Signer = 'PowerShell' }
        @{ Name = 'an X509Certificate2 object, signed in PowerShell'; Form = 'object'; Signer = 'PowerShell' }
    )
    $cases = foreach ($form in $forms) { foreach ($chain in $false, $true) { $form + @{ Chain = $chain } } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'NonExportableKey.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $app = Get-TestApp -Name 'certificate-app'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-certificates-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $work | Out-Null
    # 'pfx-P<a-umlaut>ssw<o-umlaut>rt 1&2': non-ASCII, written with escapes (the scripts are ASCII).
    $password = "pfx-P$([char]0x00E4)ssw$([char]0x00F6)rt 1&2"
    $securePassword = ConvertTo-SecureString -String $password -AsPlainText -Force

    $certificate = New-TestCertificate -Subject 'CN=EntraAuth Pester client'
    Register-EmulatorCertificate -App $app -Certificate $certificate
    $files = @{ pfx = Export-TestCertificateFile -Certificate $certificate -Path (Join-Path $work 'app.pfx') -Format pfx -Password $password }
    foreach ($format in 'pkcs8', 'pkcs1', 'pkcs8-encrypted', 'pkcs1-encrypted') {
        $files[$format] = Export-TestCertificateFile -Certificate $certificate -Path (Join-Path $work "app-$format.pem") -Format $format -Password $password
    }

    # The store: what Import-PfxCertificate does on Windows, .NET's X509Store does on Linux (~/.dotnet/corefx/cryptography/x509stores/my).
    $stored = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([System.IO.File]::ReadAllBytes($files.pfx), $password, 'Exportable, PersistKeySet')
    $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
    $store.Open('ReadWrite')
    $store.Add($stored)
    $store.Close()

    function Get-FormParameters {
        param([string] $Form)
        switch ($Form) {
            'pfx' { @{ CertificatePath = $files.pfx; CertificatePassword = $password } }
            'pfxSecure' { @{ CertificatePath = $files.pfx; CertificatePassword = $securePassword } }
            'thumbprint' { @{ CertificateThumbprint = $certificate.Thumbprint } }
            'object' { @{ Certificate = $certificate } }
            default { @{ CertificatePath = $files[$Form]; CertificatePassword = $password } }
        }
    }

    function Use-NonExportableKey {
        # From here to the end of the test, every certificate's key refuses to be exported: the real export failure,
        # the path of a non-exportable key and of Windows PowerShell 5.1, where PowerShell signs.
        Mock -ModuleName EntraAuth Get-EntraAuthRsaPrivateKey { New-NonExportableRsa -Certificate $Certificate }
    }

    function Invoke-Failing {
        # Runs the call, returns the ErrorRecord; the call must fail.
        param([scriptblock] $Call)
        $record = $null
        try { & $Call 6>$null | Out-Null } catch { $record = $_ }
        $record | Should -Not -BeNullOrEmpty -Because 'the call must fail'
        [pscustomobject]@{ Record = $record; Message = $record.Exception.Message }
    }
}

AfterAll {
    $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
    $store.Open('ReadWrite')
    # Only this run's certificates (fresh thumbprints each run): another run may share the user store.
    foreach ($added in @($store.Certificates | Where-Object { $_.Thumbprint -eq $stored.Thumbprint })) { $store.Remove($added) }
    $store.Close()
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'A token from each input form' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }

    It '<Name>, x5c: <Chain>' -ForEach $cases {
        if ($Signer -eq 'PowerShell') { Use-NonExportableKey }
        $parameters = (Get-FormParameters -Form $Form) + @{ TenantId = $app.TenantId; ClientId = $app.ClientId }
        if ($Chain) { $parameters.SendCertificateChain = $true }
        $output = Build-MicrosoftEntraIDApplicationAccessHeader @parameters -Verbose 4>&1 6>$null
        $header = $output | Where-Object { $_ -is [hashtable] }
        $verbose = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"

        (Test-EmulatorToken -Authorization $header.Authorization).appId | Should -Be $app.ClientId
        $global:MicrosoftEntraIDHeader.Authorization | Should -Be $header.Authorization
        $requests = @(Get-EmulatorTokenRequests -ClientId $app.ClientId)
        $requests.Count | Should -Be 1
        $assertion = $requests[0].assertion
        $assertion.alg | Should -Be 'RS256'
        $assertion.x5t | Should -BeTrue
        $assertion.x5tS256 | Should -BeTrue
        if ($Chain) { @($assertion.x5c)[0] | Should -Be $certificate.Thumbprint }
        else { @($assertion.x5c).Count | Should -Be 0 }
        $signedBy = 'signed in the core'
        if ($Signer -eq 'PowerShell') {
            $signedBy = 'signed in PowerShell'
            $verbose | Should -Match ([regex]::Escape('The private key cannot be exported to the core (The requested operation is not supported.); signing in PowerShell instead.'))
        }
        $verbose | Should -Match "thumbprint $($certificate.Thumbprint)\).*$signedBy with RS256"
    }

    It 'PS256 when asked, signed in the core and in PowerShell' {
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -Certificate $certificate -SigningAlgorithm PS256 6>$null
        $token.ClientId | Should -Be $app.ClientId
        Use-NonExportableKey
        $token = Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId -CertificatePath $files.pfx -CertificatePassword $password -SigningAlgorithm PS256 6>$null
        (Test-EmulatorToken -Authorization "Bearer $token").appId | Should -Be $app.ClientId
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).assertion.alg | Should -Be @('PS256', 'PS256')
    }

    It 'a relative -CertificatePath from the current location' {
        Push-Location $work
        try { $header = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath ./app-pkcs8.pem 6>$null }
        finally { Pop-Location }
        $header.Authorization | Should -Match '^Bearer eyJ'
    }

    It 'the thumbprint as the portal or the certificate dialog shows it: lower case, spaced, with invisible marks' {
        $spaced = [char]0x200E + (($certificate.Thumbprint.ToLower() -split '(..)' | Where-Object { $_ }) -join ' ')
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificateThumbprint $spaced 6>$null
        $header.Authorization | Should -Match '^Bearer eyJ'
    }
}

Describe 'Subject name and issuer (x5c)' {
    BeforeAll {
        $ca = New-TestCertificate -Subject 'CN=EntraAuth Pester issuing CA' -Ca
        $issued = New-TestCertificate -Subject 'CN=EntraAuth Pester sni.contoso.example' -Issuer $ca
        Register-EmulatorSubjectName -App $app -Subject $issued.Subject -Issuer $ca
        $sniPfx = Export-TestCertificateFile -Certificate $issued -Path (Join-Path $work 'sni.pfx') -Format pfx -Password $password
    }
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }

    It 'a certificate that is not uploaded gets a token with -SendCertificateChain (<Signer>)' -ForEach @(@{ Signer = 'core' }, @{ Signer = 'PowerShell' }) {
        if ($Signer -eq 'PowerShell') { Use-NonExportableKey }
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $sniPfx -CertificatePassword $password -SendCertificateChain 6>$null
        (Test-EmulatorToken -Authorization $header.Authorization).appId | Should -Be $app.ClientId
        @(@(Get-EmulatorTokenRequests -ClientId $app.ClientId)[0].assertion.x5c)[0] | Should -Be $issued.Thumbprint
    }

    It 'and AADSTS700027 without it' {
        $failure = Invoke-Failing { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -Certificate $issued }
        $failure.Message | Should -Match 'AADSTS700027'
    }
}

Describe 'Bad certificate input fails before any request' {
    BeforeAll {
        $other = New-TestCertificate -Subject 'CN=EntraAuth Pester other'
        $publicOnly = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($certificate.RawData)
        $noKeyPfx = Join-Path $work 'no-key.pfx'
        [System.IO.File]::WriteAllBytes($noKeyPfx, $publicOnly.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pfx, $password))
        $noKeyPem = Export-TestCertificateFile -Certificate $certificate -Path (Join-Path $work 'no-key.pem') -Format none
        $mismatchPem = Export-TestCertificateFile -Certificate $certificate -KeyOf $other -Path (Join-Path $work 'mismatch.pem') -Format pkcs8
        $expired = New-TestCertificate -Subject 'CN=EntraAuth Pester expired' -ValidFromDays -400 -ValidToDays -2
        $ecdsa = New-TestCertificate -Subject 'CN=EntraAuth Pester ecdsa' -Ecdsa
        $storedWithoutKey = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((New-TestCertificate -Subject 'CN=EntraAuth Pester stored without key').RawData)
        $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
        $store.Open('ReadWrite'); $store.Add($storedWithoutKey); $store.Close()
    }
    AfterAll {
        $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
        $store.Open('ReadWrite'); $store.Remove($storedWithoutKey); $store.Close()
    }
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }
    AfterEach { @(Get-EmulatorTokenRequests).Count | Should -Be 0 }

    It '<Name>' -ForEach @(
        @{ Name = 'a wrong PFX password'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files.pfx -CertificatePassword 'not-the-password' }; Message = { "The password for the PFX file '*app.pfx' is wrong* Fix: Pass the password the PFX was exported with in -CertificatePassword*" } }
        @{ Name = 'a PFX password missing'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files.pfx }; Message = { '*is wrong, or the file needs one and none was given*' } }
        @{ Name = 'a file that does not exist'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath (Join-Path $work 'nope.pfx') }; Message = { "The certificate file '*nope.pfx' was not found. Fix: Check -CertificatePath*current location*" } }
        @{ Name = 'a PFX without private key'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $noKeyPfx -CertificatePassword $password }; Message = { "The certificate $($certificate.Thumbprint) (CN=EntraAuth Pester client) from the PFX file*has no private key. Fix: *" } }
        @{ Name = 'a PEM without private key'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $noKeyPem }; Message = { "*no-key.pem' holds a certificate but no private key. Fix: Add the private key*" } }
        @{ Name = 'an X509Certificate2 without private key'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -Certificate $publicOnly }; Message = { '*from the -Certificate object has no private key. Fix: *Get-AutomationCertificate*' } }
        @{ Name = 'a key that does not belong to the certificate'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $mismatchPem }; Message = { "The private key in '*mismatch.pem' does not belong to the certificate 'CN=EntraAuth Pester client' (thumbprint $($certificate.Thumbprint)). Fix: *" } }
        @{ Name = 'a thumbprint in no store, naming the stores searched'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificateThumbprint $other.Thumbprint }; Message = { "No certificate with thumbprint $($other.Thumbprint) was found; searched Cert:\CurrentUser\My, Cert:\LocalMachine\My*Fix: Import the certificate*" } }
        @{ Name = 'a thumbprint of a stored certificate without key'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificateThumbprint $storedWithoutKey.Thumbprint }; Message = { "The certificate Cert:\CurrentUser\My\$($storedWithoutKey.Thumbprint) has no private key. Fix: Import the PFX*" } }
        @{ Name = 'a thumbprint that is no thumbprint'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificateThumbprint 'my-cert' }; Message = { "-CertificateThumbprint 'my-cert' is not a SHA-1 thumbprint. Fix: *40 hex digits*" } }
        @{ Name = 'an expired certificate'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -Certificate $expired }; Message = { "The certificate 'CN=EntraAuth Pester expired' (thumbprint $($expired.Thumbprint)) expired on $($expired.NotAfter.ToUniversalTime().ToString('yyyy-MM-dd')). Fix: Create a new certificate*" } }
        @{ Name = 'an encrypted PEM key without password'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files['pkcs8-encrypted'] }; Message = { "The private key in '*app-pkcs8-encrypted.pem' is encrypted, and no password was given. Fix: *-CertificatePassword*" } }
        @{ Name = 'a wrong password for an encrypted PEM key'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files['pkcs1-encrypted'] -CertificatePassword 'not-the-password' }; Message = { "The password for the private key in '*app-pkcs1-encrypted.pem' is wrong. Fix: *" } }
        @{ Name = 'an ECDSA certificate'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -Certificate $ecdsa }; Message = { '*has no RSA key*client assertions for Entra need RSA. Fix: *' } }
        @{ Name = 'a password that is neither string nor SecureString'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files.pfx -CertificatePassword 42 }; Message = { '*-CertificatePassword must be a string or a SecureString*' } }
        @{ Name = 'the common tenant'; Call = { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId common -ClientId $app.ClientId -Certificate $certificate }; Message = { '*names no tenant*' } }
    ) {
        $failure = Invoke-Failing $Call
        $failure.Record.FullyQualifiedErrorId | Should -Be 'EntraAuth.ERR_INVALID_REQUEST,Build-MicrosoftEntraIDApplicationAccessHeader'
        $failure.Record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Message | Should -BeLike (& $Message)
        $failure.Message | Should -Not -Match ([regex]::Escape($password))
    }

    It 'a certificate parameter set needs -ClientId' {
        $command = Get-Command Build-MicrosoftEntraIDApplicationAccessHeader
        foreach ($set in 'CertificatePath', 'CertificateThumbprint', 'Certificate') {
            (($command.ParameterSets | Where-Object Name -EQ $set).Parameters | Where-Object Name -EQ 'ClientId').IsMandatory | Should -BeTrue
        }
    }
}

Describe 'Certificates near their end' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }

    It 'a certificate that expires within 30 days gives a warning and a token' {
        $soon = New-TestCertificate -Subject 'CN=EntraAuth Pester expiring' -ValidToDays 10
        Register-EmulatorCertificate -App $app -Certificate $soon
        $output = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -Certificate $soon 3>&1 6>$null
        $warning = $output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
        "$warning" | Should -BeLike "The certificate 'CN=EntraAuth Pester expiring' (thumbprint $($soon.Thumbprint)) expires on $($soon.NotAfter.ToUniversalTime().ToString('yyyy-MM-dd')), in * days: create a new one and upload it*"
        ($output | Where-Object { $_ -is [hashtable] }).Authorization | Should -Match '^Bearer eyJ'
    }
}

Describe 'Entra refuses the certificate' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }

    It 'a certificate that is not registered: AADSTS700027, with its thumbprint in the hint (<Signer>)' -ForEach @(@{ Signer = 'core' }, @{ Signer = 'PowerShell' }) {
        if ($Signer -eq 'PowerShell') { Use-NonExportableKey }
        $unregistered = New-TestCertificate -Subject 'CN=EntraAuth Pester unregistered'
        $failure = Invoke-Failing { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -Certificate $unregistered }
        $failure.Record.FullyQualifiedErrorId | Should -Be 'EntraAuth.ERR_AUTH_FAILED,Build-MicrosoftEntraIDApplicationAccessHeader'
        $failure.Message | Should -Match 'AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application'
        $failure.Message | Should -Match "Fix: The certificate with thumbprint $($unregistered.Thumbprint) is not registered on app $($app.ClientId).*Certificates & secrets > Certificates"
        $failure.Record.Exception.Data['EntraAuth.Aadsts'] | Should -Be 'AADSTS700027'
    }

    It 'a clock that is off: AADSTS700024, and the hint says to set the clock' {
        Set-EmulatorClock -OffsetSeconds 1800
        $failure = Invoke-Failing { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -Certificate $certificate }
        $failure.Message | Should -Match 'AADSTS700024: Client assertion is not within its valid time range'
        $failure.Message | Should -Match 'Fix: .*clock of this machine is off'
    }

    It 'the app is not in that tenant: AADSTS700016, and the hint says a certificate only works for its app' {
        $other = (Get-TestDirectory).tenants[1].id
        $failure = Invoke-Failing { Get-MicrosoftEntraIDApplicationAccessToken -TenantId $other -ClientId $app.ClientId -Certificate $certificate }
        $failure.Message | Should -Match 'AADSTS700016'
        $failure.Message | Should -Match 'Application \(client\) ID.*a certificate only works for the app it is uploaded to'
    }
}

Describe 'No key material and no password anywhere' {
    BeforeAll {
        # Needles: both passwords and every base64 line of the private key (64 characters each).
        $keyLines = @(([System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($certificate).ExportPkcs8PrivateKeyPem() -split "`n") | Where-Object { $_ -and $_ -notlike '-----*' })
        $keyLines.Count | Should -BeGreaterThan 10
        $needles = @($password) + $keyLines
    }
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }

    It 'the cmdline and environ of every process during PFX, encrypted PEM and PowerShell-signed calls' {
        $secretFile = Join-Path $work 'needles.txt'
        [System.IO.File]::WriteAllText($secretFile, ($needles -join "`n"))
        $stop = Join-Path $work 'stop'; $result = Join-Path $work 'result.json'; $ready = Join-Path $work 'ready'
        $node = $env:ENTRAAUTH_TEST_NODE
        if (-not $node) { $node = (Get-Command node).Source }
        $watcher = Start-Process -FilePath $node -ArgumentList @("$PSScriptRoot/watch-processes.mjs", $secretFile, $stop, $result, $ready) -PassThru
        Wait-ProcessWatcherReady -Watcher $watcher -ReadyFile $ready
        # Keep each core that sends a request alive long enough to be seen.
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ kind = 'delay'; ms = 600 }, @{ kind = 'delay'; ms = 600 }, @{ kind = 'delay'; ms = 600 })
        # The resident core that served each call: the watcher must have seen every one of them.
        $served = @()
        Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files.pfx -CertificatePassword $password 6>$null | Out-Null
        $served += & (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id }
        Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files['pkcs8-encrypted'] -CertificatePassword $securePassword 6>$null | Out-Null
        $served += & (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id }
        Use-NonExportableKey
        Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files.pfx -CertificatePassword $password -Force 6>$null | Out-Null
        $served += & (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id }
        New-Item -ItemType File -Path $stop | Out-Null
        $watcher.WaitForExit(10000) | Should -BeTrue
        $report = Get-Content -Raw $result | ConvertFrom-Json
        foreach ($corePid in $served) { $report.coreSeen | Should -Contain $corePid -Because 'the watcher must have seen the cores that sent requests, or it proves nothing' }
        $report.leaks | Should -BeNullOrEmpty
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).status | Should -Be @(200, 200, 200)
    }

    It 'verbose, debug, warning and error streams and a transcript of every input form, including failures' {
        $transcript = Join-Path $work 'transcript.txt'
        Start-Transcript -Path $transcript | Out-Null
        try {
            $all = @(
                Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files.pfx -CertificatePassword $password -SendCertificateChain -Verbose -Debug *>&1
                Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files['pkcs1-encrypted'] -CertificatePassword $password -Verbose -Debug *>&1
                Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files.pkcs1 -Verbose -Debug *>&1
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -CertificateThumbprint $certificate.Thumbprint -Verbose -Debug *>&1
                Use-NonExportableKey
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -Certificate $certificate -Verbose -Debug *>&1
                try { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files['pkcs8-encrypted'] -CertificatePassword "$password-wrong" -Verbose -Debug *>&1 } catch { $_ }
                try { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files.pfx -CertificatePassword "$password-wrong" -Verbose -Debug *>&1 } catch { $_ }
            )
            $all | Out-Host
        }
        finally { Stop-Transcript | Out-Null }
        # What is displayed and recorded; "$_" of a token object is the token itself, so it is searched for keys only.
        $shown = ($all | Out-String) + (Get-Content -Raw $transcript)
        $text = $shown + (($all | ForEach-Object { "$_" }) -join "`n")
        $shown | Should -Match 'signed in the core with RS256'
        $shown | Should -Match 'signed in PowerShell with RS256'
        $shown | Should -Match 'private key in .*app-pkcs8-encrypted.pem. is wrong'
        foreach ($needle in $needles) { $text | Should -Not -Match ([regex]::Escape($needle)) }
        $text | Should -Not -CMatch 'PRIVATE KEY'
        $shown | Should -Not -Match 'eyJ[\w-]{10,}\.[\w-]{10,}'
    }
}

Describe 'The PowerShell-signing fallback starts at most one core' {
    BeforeAll {
        function Get-CoreStarts {
            # The cores this module instance started, by its verbose lines, and the one that serves it now.
            param([object[]] $Output)
            [pscustomobject]@{
                Started = @($Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -like 'Started the EntraAuth core*' })
                Stopped = @($Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -match '^(Stopping|Replacing) the EntraAuth core' })
                Current = & (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id }
            }
        }
    }
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }

    It 'no core running yet: one core, counted by the processes this pwsh started' {
        & (Get-Module EntraAuth) { Stop-EntraAuthCore }
        Use-NonExportableKey
        $needles = Join-Path $work 'count-needles.txt'
        [System.IO.File]::WriteAllText($needles, [guid]::NewGuid().ToString())
        $stop = Join-Path $work 'count-stop'; $result = Join-Path $work 'count-result.json'; $ready = Join-Path $work 'count-ready'
        Remove-Item -LiteralPath $stop, $result, $ready -ErrorAction SilentlyContinue
        $node = $env:ENTRAAUTH_TEST_NODE
        if (-not $node) { $node = (Get-Command node).Source }
        $watcher = Start-Process -FilePath $node -ArgumentList @("$PSScriptRoot/watch-processes.mjs", $needles, $stop, $result, $ready) -PassThru
        Wait-ProcessWatcherReady -Watcher $watcher -ReadyFile $ready
        try { $output = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -Certificate $certificate -Verbose 4>&1 6>$null }
        finally { New-Item -ItemType File -Path $stop | Out-Null }
        $watcher.WaitForExit(10000) | Should -BeTrue
        $cores = (Get-CoreStarts -Output $output)
        $cores.Started.Count | Should -Be 1 -Because 'the key is found not exportable before any core is asked'
        $cores.Stopped.Count | Should -Be 0
        $report = Get-Content -Raw $result | ConvertFrom-Json
        @($report.cores | Where-Object ppid -EQ $PID | ForEach-Object pid) | Should -Be @($cores.Current)
        ($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).ClientId | Should -Be $app.ClientId
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).status | Should -Be @(200)
        "$($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Match 'signed in PowerShell with RS256'
    }

    It 'a core already running: the call uses it and starts none' {
        Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -Certificate $certificate 6>$null | Out-Null
        $before = & (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id }
        $before | Should -Not -BeNullOrEmpty
        Use-NonExportableKey
        $output = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificateThumbprint $certificate.Thumbprint -Force -Verbose 4>&1 6>$null
        $cores = Get-CoreStarts -Output $output
        $cores.Started.Count | Should -Be 0
        $cores.Stopped.Count | Should -Be 0
        $cores.Current | Should -Be $before
        ($output | Where-Object { $_ -is [hashtable] }).Authorization | Should -Match '^Bearer eyJ'
        @(Get-EmulatorTokenRequests -ClientId $app.ClientId).status | Should -Be @(200, 200)
    }
}

Describe 'The chain is built only when it is sent' {
    BeforeAll {
        # The module's own chain builder, called through by a mock that counts its calls.
        $buildChain = & (Get-Module EntraAuth) { ${function:Get-EntraAuthCertificateChain} }
    }
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }

    It 'without -SendCertificateChain: no X509Chain, the leaf alone goes to the core (<Signer>)' -ForEach @(@{ Signer = 'core' }, @{ Signer = 'PowerShell' }) {
        if ($Signer -eq 'PowerShell') { Use-NonExportableKey }
        Mock -ModuleName EntraAuth Get-EntraAuthCertificateChain { & $buildChain -Certificate $Certificate }
        Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files.pfx -CertificatePassword $password 6>$null | Out-Null
        Should -Invoke -ModuleName EntraAuth Get-EntraAuthCertificateChain -Times 0 -Exactly
        @(@(Get-EmulatorTokenRequests -ClientId $app.ClientId)[0].assertion.x5c).Count | Should -Be 0
    }

    It 'with -SendCertificateChain: built once, and sent' {
        Mock -ModuleName EntraAuth Get-EntraAuthCertificateChain { & $buildChain -Certificate $Certificate }
        Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $files.pfx -CertificatePassword $password -SendCertificateChain 6>$null | Out-Null
        Should -Invoke -ModuleName EntraAuth Get-EntraAuthCertificateChain -Times 1 -Exactly
        @(@(Get-EmulatorTokenRequests -ClientId $app.ClientId)[0].assertion.x5c)[0] | Should -Be $certificate.Thumbprint
    }
}
