# The certificate checks, in PowerShell where .NET holds the certificate: found with its private key, key size,
# validity (warn 30 days before the end), and the thumbprint Entra matches it by.

$script:EntraAuthCertificateWarnDays = 30
$script:EntraAuthMinimumKeyBits = 2048

function Get-EntraAuthCertificateChecks {
    <#
    .SYNOPSIS
        The certificate checks for the bound parameters of a certificate parameter set; a PEM file is read by the core,
        so its checks are skipped with that reason.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param([Parameter(Mandatory)] [hashtable] $Parameters, [Parameter(Mandatory)] [datetime] $Now)

    $names = @{ Found = 'Certificate'; Key = 'Certificate key'; Expiry = 'Certificate expiry' }
    try { $credential = Get-EntraAuthCertificateCredential -Parameters $Parameters }
    catch {
        New-EntraAuthFailedCheck -Name $names.Found -ErrorRecord $_
        foreach ($name in $names.Key, $names.Expiry) {
            New-EntraAuthDiagnosticCheck -Name $name -Status 'Skip' -Detail 'The certificate check above fails.'
        }
        return
    }
    if ($credential.ContainsKey('PemPath')) {
        $reason = 'A PEM file is read by the EntraAuth core, not by .NET; a problem with it shows in the Token ' +
        'request check.'
        foreach ($name in $names.Found, $names.Key, $names.Expiry) {
            New-EntraAuthDiagnosticCheck -Name $name -Status 'Skip' -Detail $reason
        }
        return
    }
    $certificate = $credential.Certificate
    try {
        $found = "$($certificate.Subject) from $($credential.Source), with a usable private key. Entra matches it by " +
        "the thumbprint $($certificate.Thumbprint): the app registration's Certificates & secrets must list it."
        New-EntraAuthDiagnosticCheck -Name $names.Found -Status 'Pass' -Detail $found
        # By the base class's getter: pwsh's adapter sees RSAOpenSsl's KeySize as write-only (an override with a setter
        # only).
        $rsaExtensions = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]
        $publicKey = $rsaExtensions::GetRSAPublicKey($certificate)
        $bits = [int][System.Security.Cryptography.AsymmetricAlgorithm].GetProperty('KeySize').GetValue($publicKey)
        if ($bits -lt $script:EntraAuthMinimumKeyBits) {
            $detail = "RSA $bits bits; Entra takes RSA keys of $($script:EntraAuthMinimumKeyBits) bits or more."
            $fix = 'Create a certificate with an RSA key of 2048 bits or more (New-SelfSignedCertificate ' +
            '-KeyAlgorithm RSA -KeyLength 2048) and upload it to the app registration.'
            New-EntraAuthDiagnosticCheck -Name $names.Key -Status 'Fail' -Detail $detail -Fix $fix
        }
        else { New-EntraAuthDiagnosticCheck -Name $names.Key -Status 'Pass' -Detail "RSA $bits bits." }
        $notAfter = $certificate.NotAfter.ToUniversalTime()
        $notBefore = $certificate.NotBefore.ToUniversalTime()
        $renew = 'Create a new certificate, upload it to the app registration (Certificates & secrets), and use it ' +
        'here; then delete the old one.'
        $invariant = [System.Globalization.CultureInfo]::InvariantCulture
        $until = $notAfter.ToString('yyyy-MM-dd HH:mm', $invariant)
        $daysLeft = [int][math]::Floor(($notAfter - $Now).TotalDays)
        if ($notAfter -lt $Now) {
            $detail = "It expired on $until UTC; Entra refuses assertions signed with it (AADSTS700027)."
            New-EntraAuthDiagnosticCheck -Name $names.Expiry -Status 'Fail' -Detail $detail -Fix $renew
        }
        elseif ($notBefore -gt $Now) {
            $detail = "It is valid only from $($notBefore.ToString('yyyy-MM-dd HH:mm', $invariant)) UTC."
            $fix = 'Use a certificate that is valid now, or set this machine''s clock right.'
            New-EntraAuthDiagnosticCheck -Name $names.Expiry -Status 'Fail' -Detail $detail -Fix $fix
        }
        elseif (($notAfter - $Now).TotalDays -lt $script:EntraAuthCertificateWarnDays) {
            $detail = "It expires on $until UTC, in $daysLeft days."
            New-EntraAuthDiagnosticCheck -Name $names.Expiry -Status 'Warn' -Detail $detail -Fix $renew
        }
        else { New-EntraAuthDiagnosticCheck -Name $names.Expiry -Status 'Pass' -Detail "Valid until $until UTC." }
    }
    finally {
        if ($credential.Owned) { $credential.Certificate.Dispose() }
    }
}
