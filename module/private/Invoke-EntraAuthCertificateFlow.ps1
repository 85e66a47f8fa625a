# The certificate flows over the core: the core signs when the key can be exported to it, else PowerShell signs in two steps.

function Get-EntraAuthSigningMode {
    # 'PowerShell' forces signing in PowerShell (ENTRAAUTH_CERTIFICATE_SIGNING); 'Core' (the default) tries the core first.
    if ($env:ENTRAAUTH_CERTIFICATE_SIGNING -eq 'PowerShell') { return 'PowerShell' }
    'Core'
}

function Invoke-EntraAuthCertificateFlow {
    <#
    .SYNOPSIS
        Gets a token with a certificate; returns the core's token.
    .DESCRIPTION
        PEM file: the core reads it (flow clientCertificate with certificatePath). Otherwise .NET holds the
        certificate and key: the key goes to the core as PKCS#8 over stdin (flow clientCertificate); when .NET
        will not export it, or ENTRAAUTH_CERTIFICATE_SIGNING=PowerShell, the core prepares the assertion
        (clientCertificatePrepare), PowerShell signs it, and the core checks and sends it (clientCertificateSigned).
    .PARAMETER Request
        The request fields every flow shares (tenant, client, scopes, cloud, timeout, log level).
    .PARAMETER Parameters
        The bound parameters of the public cmdlet.
    .PARAMETER TimeoutSec
        Most seconds for each run of the core.
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
    if ($credential.ContainsKey('PemPath')) {
        if ((Get-EntraAuthSigningMode) -eq 'PowerShell') { Write-Verbose -Message 'ENTRAAUTH_CERTIFICATE_SIGNING=PowerShell does not apply to PEM files: their key is read by the core only.' }
        $call = $Request + $options + @{ flow = 'clientCertificate'; certificatePath = $credential.PemPath }
        if ($null -ne $credential.Password -and $credential.Password.Length -gt 0) { $call.certificatePassword = $credential.Password }
        return Invoke-EntraAuthCore -Request $call -TimeoutSec $TimeoutSec
    }

    try {
        $base = $Request + @{ certificates = $credential.Chain }
        Write-Verbose -Message "Certificate $($credential.Certificate.Thumbprint) ($($credential.Certificate.Subject)) from $($credential.Source)."
        if ((Get-EntraAuthSigningMode) -eq 'Core') {
            try {
                return Invoke-EntraAuthCore -Request ($base + $options + @{ flow = 'clientCertificate'; privateKey = $credential.Key }) -TimeoutSec $TimeoutSec
            }
            catch {
                if ($_.FullyQualifiedErrorId -ne 'EntraAuth.ERR_KEY_NOT_EXPORTABLE') { throw }
                Write-Verbose -Message "$($_.Exception.Message) Signing in PowerShell instead."
            }
        }
        $prepared = Invoke-EntraAuthCore -Request ($base + $options + @{ flow = 'clientCertificatePrepare' }) -TimeoutSec $TimeoutSec
        $signature = New-EntraAuthAssertionSignature -Key $credential.Key -SigningInput $prepared.signingInput -Algorithm $prepared.algorithm
        Invoke-EntraAuthCore -Request ($base + @{ flow = 'clientCertificateSigned'; clientAssertion = "$($prepared.signingInput).$signature" }) -TimeoutSec $TimeoutSec
    }
    finally {
        if ($credential.Owned) { $credential.Certificate.Dispose() }
    }
}
