# Strings as Get-Content returns them (with PSPath, PSChildName, ReadCount notes) in every secret parameter and script
# block. Windows PowerShell 5.1's ConvertTo-Json writes such a string as {"value":...,"PSPath":...}; pwsh 7's writes the
# text, so beside a token each call also checks what reaches the JSON writer: plain strings, no notes.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $automation = Get-TestApp -Name 'automation'
    $publicCli = Get-TestApp -Name 'public-cli'
    $certificateApp = Get-TestApp -Name 'certificate-app'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-decorated-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $work | Out-Null
    $password = 'pfx-decorated 1&2'
    $certificate = New-TestCertificate -Subject 'CN=EntraAuth Pester decorated'
    Register-EmulatorCertificate -App $certificateApp -Certificate $certificate
    $pfx = Export-TestCertificateFile -Certificate $certificate -Path (Join-Path $work 'app.pfx') -Format pfx -Password $password
    $encryptedPem = Export-TestCertificateFile -Certificate $certificate -Path (Join-Path $work 'app.pem') -Format pkcs8-encrypted -Password $password

    function Read-Decorated {
        # The text written to a file and read back with Get-Content -Raw: a string that carries Get-Content's notes.
        param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Text)
        $file = Join-Path $work $Name
        [System.IO.File]::WriteAllText($file, $Text)
        $value = Get-Content -Raw -LiteralPath $file
        @($value.PSObject.Properties | Where-Object MemberType -EQ 'NoteProperty').Name | Should -Contain 'PSPath' -Because 'the test needs a decorated string'
        $value
    }

    function Get-NotedValue {
        # "key: notes" for every payload value, or element of an array value, that carries notes.
        param([Parameter(Mandatory)] [System.Collections.IDictionary] $Payload)
        foreach ($key in $Payload.Keys) {
            foreach ($value in @($Payload[$key])) {
                if ($null -eq $value) { continue }
                $notes = @($value.PSObject.Properties | Where-Object MemberType -EQ 'NoteProperty' | ForEach-Object Name)
                if ($notes.Count -gt 0) { "${key}: $($notes -join ',')" }
            }
        }
    }

    function Use-PayloadCapture {
        # Every request the module writes for the core, as the JSON writer gets it; written on as before.
        $script:payloads = [System.Collections.Generic.List[System.Collections.IDictionary]]::new()
        # The writer is core/JsonText.ps1's; the mock writes on with the real one (its FunctionInfo, past the mock).
        $script:realWriter = & (Get-Module EntraAuth) {
            Get-Command -Name ConvertTo-EntraAuthJsonText -CommandType Function
        }
        Mock -ModuleName EntraAuth ConvertTo-EntraAuthJsonText {
            $payloads.Add($Value)
            & $realWriter -Value $Value
        } -ParameterFilter { $Value -is [System.Collections.IDictionary] -and $Value.Contains('id') }
    }
}

AfterAll {
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'A decorated string in each secret parameter gets a token, and reaches the JSON writer as plain text' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator; Use-PayloadCapture }

    It '<Name>' -ForEach @(
        @{ Name = '-ClientSecret, with -TenantId and -ClientId read the same way'; Call = {
                $tenant = Read-Decorated -Name 'tenant' -Text $automation.TenantId
                $client = Read-Decorated -Name 'client' -Text $automation.ClientId
                $secret = Read-Decorated -Name 'secret' -Text $automation.Secrets[0].value
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenant -ClientId $client -ClientSecret $secret
            }; ClientId = { $automation.ClientId }
        }
        @{ Name = '-ClientSecret by position, as the seed calls it'; Call = {
                Build-MicrosoftEntraIDApplicationAccessHeader $automation.TenantId $automation.ClientId (Read-Decorated -Name 'secret' -Text $automation.Secrets[0].value) -PassThru
            }; ClientId = { $automation.ClientId }
        }
        @{ Name = '-RefreshToken'; Call = {
                $refresh = Read-Decorated -Name 'refresh' -Text (New-EmulatorRefreshToken -TenantId $publicCli.TenantId -ClientId $publicCli.ClientId)
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $publicCli.TenantId -ClientId $publicCli.ClientId -RefreshToken $refresh
            }; ClientId = { $publicCli.ClientId }
        }
        @{ Name = '-Credential from a decorated user name and password'; Call = {
                $user = Read-Decorated -Name 'user' -Text $automation.ClientId
                $secure = ConvertTo-SecureString -String (Read-Decorated -Name 'secret' -Text $automation.Secrets[0].value) -AsPlainText -Force
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $automation.TenantId -Credential ([pscredential]::new($user, $secure))
            }; ClientId = { $automation.ClientId }
        }
        @{ Name = '-ClientAssertion string'; Call = {
                $assertion = Read-Decorated -Name 'assertion' -Text (New-EmulatorFederatedToken -Subject 'system:serviceaccount:automation:runner')
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $automation.TenantId -ClientId $automation.ClientId -ClientAssertion $assertion
            }; ClientId = { $automation.ClientId }
        }
        @{ Name = '-ClientAssertion script block returning Get-Content -Raw (the form the hint suggests)'; Call = {
                $file = Join-Path $work 'federated-token'
                [System.IO.File]::WriteAllText($file, (New-EmulatorFederatedToken -Subject 'system:serviceaccount:automation:runner'))
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $automation.TenantId -ClientId $automation.ClientId -ClientAssertion { Get-Content -Raw -LiteralPath $file }.GetNewClosure()
            }; ClientId = { $automation.ClientId }
        }
        @{ Name = '-ClientAssertion script block returning a string with a note added'; Call = {
                $token = New-EmulatorFederatedToken -Subject 'system:serviceaccount:automation:runner'
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $automation.TenantId -ClientId $automation.ClientId -ClientAssertion { [psobject]$token | Add-Member -NotePropertyName PSPath -NotePropertyValue 'x' -PassThru }.GetNewClosure()
            }; ClientId = { $automation.ClientId }
        }
        @{ Name = '-FederatedTokenFile read from a decorated path'; Call = {
                $file = Join-Path $work 'federated-token-file'
                [System.IO.File]::WriteAllText($file, (New-EmulatorFederatedToken -Subject 'system:serviceaccount:automation:runner'))
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $automation.TenantId -ClientId $automation.ClientId -FederatedTokenFile (Read-Decorated -Name 'path' -Text $file)
            }; ClientId = { $automation.ClientId }
        }
        @{ Name = '-CertificatePassword of a PFX file'; Call = {
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $certificateApp.TenantId -ClientId $certificateApp.ClientId -CertificatePath $pfx -CertificatePassword (Read-Decorated -Name 'password' -Text $password)
            }; ClientId = { $certificateApp.ClientId }
        }
        @{ Name = '-CertificatePassword of an encrypted PEM key (the core decrypts it)'; Call = {
                Get-MicrosoftEntraIDApplicationAccessToken -TenantId $certificateApp.TenantId -ClientId $certificateApp.ClientId -CertificatePath $encryptedPem -CertificatePassword (Read-Decorated -Name 'password' -Text $password)
            }; ClientId = { $certificateApp.ClientId }
        }
    ) {
        $token = & $Call 6>$null
        (Test-EmulatorToken -Authorization "Bearer $token").appId | Should -Be (& $ClientId)
        $payloads.Count | Should -BeGreaterThan 0 -Because 'the capture must have seen the request, or it proves nothing'
        foreach ($payload in $payloads) { Get-NotedValue -Payload $payload | Should -BeNullOrEmpty }
    }
}

Describe 'The JSON writer (Invoke-EntraAuthCore)' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator; Use-PayloadCapture }

    It 'writes a decorated value as its base object: a plain [string], as 5.1 needs' {
        $secret = Read-Decorated -Name 'secret' -Text $automation.Secrets[0].value
        $request = @{ protocolVersion = 1; flow = 'clientSecret'; tenantId = $automation.TenantId; clientId = $automation.ClientId; clientSecret = $secret; timeoutSec = 30; logLevel = 'info' }
        $token = InModuleScope EntraAuth -Parameters @{ Request = $request } { param($Request) Invoke-EntraAuthCore -Request $Request -TimeoutSec 30 }
        $token.accessToken | Should -Match '^eyJ'
        $payloads.Count | Should -Be 1
        $payloads[0].clientSecret.GetType() | Should -Be ([string])
        Get-NotedValue -Payload $payloads[0] | Should -BeNullOrEmpty
        Get-NotedValue -Payload @{ clientSecret = $secret } | Should -Be 'clientSecret: PSPath,PSParentPath,PSChildName,PSDrive,PSProvider,ReadCount' -Because 'the check must find the notes of the decorated string'
    }
}
