# The certificate flows over the core: the core signs when the key can be exported to it, else PowerShell signs in two steps.

function Get-EntraAuthKeyExportProblem {
    # $null when .NET exports the key as PKCS#8 (the bytes are cleared at once: the key becomes text only where the
    # request is written), else why not: a non-exportable key, or .NET Framework (Windows PowerShell 5.1), whose RSA
    # has no ExportPkcs8PrivateKey. Asked before the core is, so a key that stays in .NET costs no extra core.
    param([Parameter(Mandatory)] [System.Security.Cryptography.RSA] $Key)
    $der = $null
    try {
        $der = $Key.ExportPkcs8PrivateKey()
        $null
    }
    catch { Get-EntraAuthInnerMessage -ErrorRecord $_ }
    finally { if ($null -ne $der) { [Array]::Clear($der, 0, $der.Length) } }
}

function Invoke-EntraAuthCertificateFlow {
    <#
    .SYNOPSIS
        Gets a token with a certificate; returns the core's token.
    .DESCRIPTION
        PEM file: the core reads it (flow clientCertificate with certificatePath). Otherwise .NET holds the
        certificate and key: the key goes to the core as PKCS#8 over stdin (flow clientCertificate); when .NET
        will not export it (found out before the core is asked), the core prepares the assertion
        (clientCertificatePrepare), PowerShell signs it, and the same core checks and sends it (clientCertificateSigned).
    .PARAMETER Request
        The request fields every flow shares (tenant, client, scopes, cloud, timeout, log level).
    .PARAMETER Parameters
        The bound parameters of the public cmdlet.
    .PARAMETER TimeoutSec
        Most seconds for each request to the core (the two-step fallback sends two).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)] [hashtable] $Request,
        [Parameter(Mandatory)] [hashtable] $Parameters,
        [Parameter(Mandatory)] [int] $TimeoutSec
    )

    $options = @{}
    if ($Parameters.ContainsKey('SigningAlgorithm')) { $options.algorithm = [string]$Parameters['SigningAlgorithm'] }
    if ($Parameters['SendCertificateChain']) { $options.sendCertificateChain = $true }

    $credential = Get-EntraAuthCertificateCredential -Parameters $Parameters
    Write-Debug -Message "EntraAuth asks the core: a certificate flow, tenant '$($Request.tenantId)', client '$($Request.clientId)', timeout $TimeoutSec s, log level $($Request.logLevel)."
    if ($credential.ContainsKey('PemPath')) {
        $call = $Request + $options + @{ flow = 'clientCertificate'; certificatePath = $credential.PemPath }
        if ($null -ne $credential.Password -and $credential.Password.Length -gt 0) { $call.certificatePassword = $credential.Password }
        return Invoke-EntraAuthCore -Request $call -TimeoutSec $TimeoutSec
    }

    try {
        $base = $Request + @{ certificates = $credential.Chain }
        Write-Verbose -Message "Certificate $($credential.Certificate.Thumbprint) ($($credential.Certificate.Subject)) from $($credential.Source)."
        $problem = Get-EntraAuthKeyExportProblem -Key $credential.Key
        if ($null -eq $problem) {
            return Invoke-EntraAuthCore -Request ($base + $options + @{ flow = 'clientCertificate'; privateKey = $credential.Key }) -TimeoutSec $TimeoutSec
        }
        Write-Verbose -Message "The private key cannot be exported to the core ($problem); signing in PowerShell instead."
        $prepared = Invoke-EntraAuthCore -Request ($base + $options + @{ flow = 'clientCertificatePrepare' }) -TimeoutSec $TimeoutSec
        $signature = New-EntraAuthAssertionSignature -Key $credential.Key -SigningInput $prepared.signingInput -Algorithm $prepared.algorithm
        Invoke-EntraAuthCore -Request ($base + @{ flow = 'clientCertificateSigned'; clientAssertion = "$($prepared.signingInput).$signature" }) -TimeoutSec $TimeoutSec
    }
    finally {
        if ($credential.Owned) { $credential.Certificate.Dispose() }
    }
}
