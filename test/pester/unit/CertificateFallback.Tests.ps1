# The certificate paths with the core mocked: a key .NET exports goes to the core in one request; a key that will not
# export (the Windows store's non-exportable keys, every key under Windows PowerShell 5.1) is signed for in PowerShell:
# the core prepares the assertion, PowerShell signs it, the core sends it. The private key never goes along then.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FakeCore.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../NonExportableKey.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../../EntraAuth.psd1') -Force
    $script:tenant = '11111111-1111-1111-1111-111111111111'
    $script:client = '22222222-2222-2222-2222-222222222222'
    $script:app = @{ TenantId = $tenant; ClientId = $client }
    function Get-CertificateToken {
        param([hashtable] $Options = @{})
        Get-MicrosoftEntraIDApplicationAccessToken @app -Certificate $certificate @Options 6>$null
    }
    $script:certificate = New-TestCertificate
    # What the core's clientCertificatePrepare answers: the JWS signing input of the assertion it made.
    $script:signingInput = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0'
}

AfterAll {
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
    Remove-Module FakeCore, NonExportableKey -ErrorAction SilentlyContinue
}

Describe 'Certificate fallback' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        $script:requests = [System.Collections.Generic.List[hashtable]]::new()
        Mock Start-EntraAuthCore -ModuleName EntraAuth { throw 'the unit layer never starts a core' }
        # The fake core's tokens are issued on the fake clock.
        Reset-FakeClock
        Mock Get-EntraAuthNow -ModuleName EntraAuth { Get-FakeNow }
        Mock Get-EntraAuthSystemProxy -ModuleName EntraAuth { $null }
        Mock Invoke-EntraAuthCore -ModuleName EntraAuth {
            if ($Request.flow -eq 'resolveTarget') { return New-FakeCoreTarget -Request $Request }
            $script:requests.Add($Request.Clone())
            if ($Request.flow -eq 'clientCertificatePrepare') {
                $algorithm = if ($Request.algorithm) { $Request.algorithm } else { 'RS256' }
                return [pscustomobject]@{ signingInput = $script:signingInput; algorithm = $algorithm }
            }
            New-FakeCoreToken
        }
    }

    It 'an exportable key goes to the core in one clientCertificate request' {
        $null = Get-CertificateToken
        @($script:requests.flow) | Should -Be @('clientCertificate')
        $script:requests[0].privateKey | Should -BeOfType [System.Security.Cryptography.RSA]
        @($script:requests[0].certificates) | Should -Be @([Convert]::ToBase64String($certificate.RawData))
    }

    It 'a non-exportable key is signed for in PowerShell with <Algorithm>; the key never goes to the core' -ForEach @(
        @{ Algorithm = 'RS256'; Padding = 'Pkcs1' }
        @{ Algorithm = 'PS256'; Padding = 'Pss' }
    ) {
        Mock Get-EntraAuthRsaPrivateKey -ModuleName EntraAuth { New-NonExportableRsa -Certificate $Certificate }
        $token = Get-CertificateToken -Options @{ SigningAlgorithm = $Algorithm }
        [string]$token | Should -Be 'header.payload.signature'
        @($script:requests.flow) | Should -Be @('clientCertificatePrepare', 'clientCertificateSigned')
        $script:requests[0].algorithm | Should -Be $Algorithm
        foreach ($request in $script:requests) { $request.ContainsKey('privateKey') | Should -BeFalse }
        $assertion = [string]$script:requests[1].clientAssertion
        $assertion | Should -BeLike "$signingInput.*"
        # The signature is the certificate's key's, over the core's signing input.
        $signature = $assertion.Substring($signingInput.Length + 1).Replace('-', '+').Replace('_', '/')
        $signature += '=' * ((4 - $signature.Length % 4) % 4)
        $public = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPublicKey(
            $certificate)
        $padding = [System.Security.Cryptography.RSASignaturePadding]::$Padding
        $sha256 = [System.Security.Cryptography.HashAlgorithmName]::SHA256
        $data = [System.Text.Encoding]::ASCII.GetBytes($signingInput)
        $public.VerifyData($data, [Convert]::FromBase64String($signature), $sha256, $padding) | Should -BeTrue
    }

    It 'a non-exportable key asked for once more is answered from the cache, with no second signing' {
        Mock Get-EntraAuthRsaPrivateKey -ModuleName EntraAuth { New-NonExportableRsa -Certificate $Certificate }
        $null = Get-CertificateToken
        $null = Get-CertificateToken
        $script:requests.Count | Should -Be 2
    }

    It 'a PEM file goes to the core by its absolute path, for the core to read' {
        $pem = Export-TestCertificateFile -Certificate $certificate -Path (Join-Path $TestDrive 'app.pem') -Format pkcs8
        Push-Location $TestDrive
        try { $null = Get-MicrosoftEntraIDApplicationAccessToken @app -CertificatePath app.pem 6>$null }
        finally { Pop-Location }
        @($script:requests.flow) | Should -Be @('clientCertificate')
        $script:requests[0].certificatePath | Should -Be $pem
        $script:requests[0].ContainsKey('privateKey') | Should -BeFalse
    }

    It 'a thumbprint is looked up in the store, and its key goes to the core' {
        # A copy: the module disposes what it found in a store once the token is there.
        Mock Find-EntraAuthCertificate -ModuleName EntraAuth {
            $copy = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($certificate)
            @{ Certificate = $copy; Source = "Cert:\CurrentUser\My\$Thumbprint" }
        }
        $null = Get-MicrosoftEntraIDApplicationAccessToken @app -CertificateThumbprint $certificate.Thumbprint 6>$null
        Should -Invoke Find-EntraAuthCertificate -ModuleName EntraAuth -Times 1 -Exactly
        @($script:requests.flow) | Should -Be @('clientCertificate')
        $script:requests[0].privateKey | Should -BeOfType [System.Security.Cryptography.RSA]
    }

    It 'a certificate without a private key is refused before any token request' {
        $publicOnly = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($certificate.RawData)
        { Get-MicrosoftEntraIDApplicationAccessToken @app -Certificate $publicOnly 6>$null } |
            Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,*' -ExpectedMessage '*has no private key*'
        $script:requests.Count | Should -Be 0
    }
}
