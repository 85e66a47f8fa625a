# Helpers for the Pester tests: the fake directory, the emulator's admin API, and process inspection.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-TestDirectory {
    # The fake tenants, apps and secrets the emulator serves (test/fixtures/directory.json).
    Get-Content -Raw -LiteralPath (Join-Path $script:RepoRoot 'test/fixtures/directory.json') | ConvertFrom-Json
}

function Get-TestApp {
    param([Parameter(Mandatory)] [string] $Name)
    $directory = Get-TestDirectory
    $tenant = $directory.tenants | Where-Object { $_.apps.name -contains $Name } | Select-Object -First 1
    $app = $tenant.apps | Where-Object name -EQ $Name
    [pscustomobject]@{ TenantId = $tenant.id; Domain = $tenant.domains[0]; ClientId = $app.clientId; Secrets = $app.secrets; App = $app }
}

function Get-EmulatorUrl {
    if (-not $env:ENTRAAUTH_TEST_EMULATOR) { throw 'ENTRAAUTH_TEST_EMULATOR is not set: run the tests with "npm run test:pester".' }
    $env:ENTRAAUTH_TEST_EMULATOR
}

function Invoke-EmulatorAdmin {
    # Calls the emulator's admin API. .NET trusts the emulator's throwaway CA through SSL_CERT_FILE (build/tools.mjs).
    param([string] $Method = 'GET', [Parameter(Mandatory)] [string] $Path, [object] $Body)
    # Invoke-RestMethod's own debug lines are not under test, and would prompt in a run with Inquire (Invoke-Tests.ps1).
    $DebugPreference = 'SilentlyContinue'
    $parameters = @{ Method = $Method; Uri = "$(Get-EmulatorUrl)/_emulator/$Path" }
    if ($null -ne $Body) {
        $parameters.Body = ConvertTo-Json -InputObject $Body -Depth 5 -Compress
        $parameters.ContentType = 'application/json'
    }
    Invoke-RestMethod @parameters
}

function Reset-Emulator { [void](Invoke-EmulatorAdmin -Method POST -Path 'reset') }

function Add-EmulatorFault {
    param([string] $ClientId, [Parameter(Mandatory)] [object[]] $Responses, [ValidateSet('token', 'discovery', 'managedIdentity', 'any')] [string] $Path = 'token')
    $body = @{ path = $Path; responses = $Responses }
    if ($ClientId) { $body.clientId = $ClientId }
    [void](Invoke-EmulatorAdmin -Method POST -Path 'faults' -Body $body)
}

function Wait-ProcessWatcherReady {
    # Waits until the process watcher has written its ready file, at most 15 s: a watcher that died or hangs
    # fails the test with its state instead of holding the run.
    param([Parameter(Mandatory)] [System.Diagnostics.Process] $Watcher, [Parameter(Mandatory)] [string] $ReadyFile)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not (Test-Path $ReadyFile)) {
        if ($Watcher.HasExited) { throw "The process watcher ended (exit code $($Watcher.ExitCode)) before it was ready." }
        if ($clock.Elapsed.TotalSeconds -gt 15) { throw 'The process watcher was not ready within 15 s.' }
        Start-Sleep -Milliseconds 20
    }
}

function Set-EntraAuthTestClock {
    # Moves the module's clock (and only its clock) this many seconds ahead of the real one, so a test reaches a
    # token's renewal time without waiting; 0 puts it back. Tokens got meanwhile count from the moved clock.
    param([Parameter(Mandatory)] [double] $OffsetSec)
    & (Get-Module EntraAuth) { param($seconds) $script:EntraAuthClockOffset = [TimeSpan]::FromSeconds($seconds) } $OffsetSec
}

function Get-EmulatorTokenRequests {
    param([string] $ClientId)
    $path = 'requests'
    if ($ClientId) { $path += "?clientId=$ClientId" }
    # Invoke-RestMethod in pwsh 7 emits a JSON array as one object: assign, then pipe to enumerate it.
    $requests = Invoke-EmulatorAdmin -Path $path
    $requests | Where-Object { $_.path -like '*/oauth2/v2.0/token' }
}

function New-EmulatorRefreshToken {
    param([Parameter(Mandatory)] [string] $TenantId, [Parameter(Mandatory)] [string] $ClientId, [string[]] $Scopes = @('https://graph.microsoft.com/.default', 'offline_access'))
    (Invoke-EmulatorAdmin -Method POST -Path 'refresh-tokens' -Body @{ tenantId = $TenantId; clientId = $ClientId; scopes = $Scopes }).refresh_token
}

function Test-EmulatorToken {
    # Asks the emulator's protected API whether a bearer token is valid; returns what it saw in it.
    param([Parameter(Mandatory)] [string] $Authorization)
    $DebugPreference = 'SilentlyContinue'
    Invoke-RestMethod -Uri "$(Get-EmulatorUrl)/_emulator/api/me" -Headers @{ Authorization = $Authorization }
}

function New-TestCertificate {
    # A throwaway certificate with its private key, made by .NET for this run; never committed, stored only where a test puts it.
    param(
        [string] $Subject = 'CN=EntraAuth Pester client',
        [int] $ValidFromDays = -1,
        [int] $ValidToDays = 365,
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Issuer,
        [switch] $Ca,
        [switch] $Ecdsa
    )
    $notBefore = [DateTimeOffset]::UtcNow.AddDays($ValidFromDays)
    $notAfter = [DateTimeOffset]::UtcNow.AddDays($ValidToDays)
    if ($Ecdsa) {
        $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256)
    }
    else {
        $key = [System.Security.Cryptography.RSA]::Create(2048)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    }
    if ($Ca) { $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true)) }
    if ($null -eq $Issuer) { return $request.CreateSelfSigned($notBefore, $notAfter) }
    $serial = [byte[]](1..16 | ForEach-Object { Get-Random -Minimum 1 -Maximum 256 })
    # A CA made a second earlier ends a second earlier: .NET refuses a certificate that outlives its issuer.
    $issuerEnd = [DateTimeOffset]$Issuer.NotAfter.ToUniversalTime()
    if ($notAfter -gt $issuerEnd) { $notAfter = $issuerEnd }
    $issued = $request.Create($Issuer, $notBefore, $notAfter, $serial)
    [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::CopyWithPrivateKey($issued, $key)
}

function Export-TestCertificateFile {
    # Writes a certificate as PFX (with a password), or as PEM with its key: pkcs8, pkcs1, pkcs8-encrypted, pkcs1-encrypted (OpenSSL's Proc-Type form), none.
    param(
        [Parameter(Mandatory)] [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [ValidateSet('pfx', 'pkcs8', 'pkcs1', 'pkcs8-encrypted', 'pkcs1-encrypted', 'none')] [string] $Format,
        [string] $Password,
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $KeyOf = $Certificate
    )
    if ($Format -eq 'pfx') {
        [System.IO.File]::WriteAllBytes($Path, $Certificate.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pfx, $Password))
        return $Path
    }
    $rsa = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($KeyOf)
    $key = switch ($Format) {
        'pkcs1' { $rsa.ExportRSAPrivateKeyPem() }
        'none' { '' }
        default { $rsa.ExportPkcs8PrivateKeyPem() }
    }
    if ($Format -like '*-encrypted') {
        $plain = "$Path.key"; $secret = "$Path.password"
        [System.IO.File]::WriteAllText($plain, $key); [System.IO.File]::WriteAllText($secret, $Password)
        $node = $env:ENTRAAUTH_TEST_NODE
        if (-not $node) { $node = (Get-Command node).Source }
        & $node (Join-Path $PSScriptRoot 'encrypt-key.mjs') $plain $secret "$Path.encrypted" ($Format -replace '-encrypted$', '')
        if ($LASTEXITCODE -ne 0) { throw "encrypt-key.mjs failed ($LASTEXITCODE)" }
        $key = [System.IO.File]::ReadAllText("$Path.encrypted")
        Remove-Item -LiteralPath $plain, $secret, "$Path.encrypted"
    }
    [System.IO.File]::WriteAllText($Path, $Certificate.ExportCertificatePem() + "`n" + $key)
    $Path
}

function Register-EmulatorCertificate {
    # Uploads the certificate's public part to the app, as the portal's Certificates tab does.
    param([Parameter(Mandatory)] [object] $App, [Parameter(Mandatory)] [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate)
    [void](Invoke-EmulatorAdmin -Method POST -Path 'certificates' -Body @{ tenantId = $App.TenantId; clientId = $App.ClientId; certificate = [Convert]::ToBase64String($Certificate.RawData) })
}

function Register-EmulatorSubjectName {
    # Trusts certificates with this subject issued by this CA (subject name + issuer authentication, with x5c).
    param([Parameter(Mandatory)] [object] $App, [Parameter(Mandatory)] [string] $Subject, [Parameter(Mandatory)] [System.Security.Cryptography.X509Certificates.X509Certificate2] $Issuer)
    [void](Invoke-EmulatorAdmin -Method POST -Path 'certificates' -Body @{ tenantId = $App.TenantId; clientId = $App.ClientId; subjectName = $Subject; issuer = [Convert]::ToBase64String($Issuer.RawData) })
}

function Set-EmulatorClock {
    # Puts the emulator's clock off real time, as if this machine's clock were wrong; Reset-Emulator sets it right.
    param([Parameter(Mandatory)] [int] $OffsetSeconds)
    [void](Invoke-EmulatorAdmin -Method POST -Path 'clock' -Body @{ offsetSeconds = $OffsetSeconds })
}

function Get-EmulatorManagedIdentity {
    # Where the emulator's managed identity endpoints are (build/tools.mjs passes them in), and their secrets.
    if (-not $env:ENTRAAUTH_TEST_MANAGED_IDENTITY) { throw 'ENTRAAUTH_TEST_MANAGED_IDENTITY is not set: run the tests with "npm run test:pester".' }
    $endpoints = $env:ENTRAAUTH_TEST_MANAGED_IDENTITY | ConvertFrom-Json
    $fixture = Get-Content -Raw -LiteralPath (Join-Path $script:RepoRoot 'test/fixtures/managedIdentities.json') | ConvertFrom-Json
    [pscustomobject]@{ Endpoints = $endpoints; Fixture = $fixture }
}

function New-EmulatorFederatedToken {
    # A token of an external identity provider the emulator plays (Kubernetes by default).
    param([Parameter(Mandatory)] [string] $Subject, [string] $Issuer)
    $body = @{ subject = $Subject }
    if ($Issuer) { $body.issuer = $Issuer }
    (Invoke-EmulatorAdmin -Method POST -Path 'federated-tokens' -Body $body).token
}

function Set-EmulatorDeviceCodePlan {
    # A scripted user for the next device code of the client: approve or decline after some polls, slow_down first.
    param(
        [Parameter(Mandatory)] [string] $ClientId,
        [ValidateSet('approve', 'decline', 'none')] [string] $Action = 'approve',
        [int] $AfterPolls = 1,
        [int] $SlowDownPolls = 0,
        [double] $Interval = 1,
        [double] $ExpiresIn,
        [string] $TenantId
    )
    $body = @{ clientId = $ClientId; action = $Action; afterPolls = $AfterPolls; slowDownPolls = $SlowDownPolls; interval = $Interval }
    if ($PSBoundParameters.ContainsKey('ExpiresIn')) { $body.expiresIn = $ExpiresIn }
    if ($TenantId) { $body.tenantId = $TenantId }
    [void](Invoke-EmulatorAdmin -Method POST -Path 'device-codes/plan' -Body $body)
}

function Get-EmulatorRequests {
    # Every request to the login endpoints and the protected API since the last reset.
    $requests = Invoke-EmulatorAdmin -Path 'requests'
    $requests | ForEach-Object { $_ }
}

Export-ModuleMember -Function *
