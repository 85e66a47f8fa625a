# -CertificateThumbprint: the certificate in CurrentUser\My, then LocalMachine\My (on Linux and macOS: .NET's stores of
# those names).

function Find-EntraAuthCertificate {
    <#
    .SYNOPSIS
        Finds a certificate with a private key by its SHA-1 thumbprint; the error names every store it searched.
    .PARAMETER Thumbprint
        As the portal or Cert:\ shows it; spaces, colons and invisible marks copied along are ignored.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory)] [string] $Thumbprint)

    $normalized = ($Thumbprint -replace '[\s:\u200e\u200f\ufeff-]', '').ToUpperInvariant()
    if ($normalized -notmatch '^[0-9A-F]{40}$') {
        $message = "-CertificateThumbprint '$Thumbprint' is not a SHA-1 thumbprint."
        $hint = 'Pass the 40 hex digits shown as Thumbprint in the app registration or by Get-ChildItem ' +
            'Cert:\CurrentUser\My.'
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message $message -Hint $hint)
    }

    $searched = New-Object System.Collections.Generic.List[string]
    $withoutKey = $null
    foreach ($location in 'CurrentUser', 'LocalMachine') {
        $store = New-Object System.Security.Cryptography.X509Certificates.X509Store -ArgumentList 'My', $location
        try {
            try { $store.Open([System.Security.Cryptography.X509Certificates.OpenFlags]::ReadOnly) }
            catch {
                $searched.Add("Cert:\$location\My (could not be opened: $(Get-EntraAuthInnerMessage -ErrorRecord $_))")
                continue
            }
            $searched.Add("Cert:\$location\My")
            $byThumbprint = [System.Security.Cryptography.X509Certificates.X509FindType]::FindByThumbprint
            foreach ($candidate in $store.Certificates.Find($byThumbprint, $normalized, $false)) {
                if ($candidate.HasPrivateKey) {
                    return @{ Certificate = $candidate; Source = "Cert:\$location\My\$normalized" }
                }
                $withoutKey = "Cert:\$location\My\$normalized"
            }
        }
        finally { $store.Dispose() }
    }
    if ($null -ne $withoutKey) {
        $message = "The certificate $withoutKey has no private key."
        $hint = 'Import the PFX (certificate with its key) into the store, e.g. Import-PfxCertificate ' +
            '-CertStoreLocation Cert:\CurrentUser\My, not the .cer file.'
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message $message -Hint $hint)
    }
    $message = "No certificate with thumbprint $normalized was found; searched $($searched -join ', ')."
    $hint = 'Import the certificate with its private key into Cert:\CurrentUser\My (or LocalMachine\My), or pass it ' +
        'with -CertificatePath or -Certificate.'
    throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message $message -Hint $hint)
}
