# Turns -CertificatePath, -CertificateThumbprint or -Certificate into what the core needs: a PEM path, or DER
# certificates and an RSA key.

function Get-EntraAuthInnerMessage {
    # What .NET said, without PowerShell's 'Exception calling ... with ... argument(s)' wrapper.
    param([Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $ErrorRecord)
    $exception = $ErrorRecord.Exception
    while ($null -ne $exception.InnerException) { $exception = $exception.InnerException }
    $exception.Message
}

function Get-EntraAuthRsaPrivateKey {
    # The certificate's RSA private key as .NET opens it ($null for another key type); the tests put a key here
    # that refuses to be exported, to run the path a non-exportable key and .NET Framework take.
    param([Parameter(Mandatory)] [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate)
    [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
}

function Get-EntraAuthCertificateChain {
    # The certificate and the issuers .NET finds for it, leaf first, as base64 DER. Only for -SendCertificateChain:
    # .NET Framework has no DisableCertificateDownloads, so Build() may fetch issuers over the network there.
    param([Parameter(Mandatory)] [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate)
    $chain = New-Object System.Security.Cryptography.X509Certificates.X509Chain
    try {
        $chain.ChainPolicy.RevocationMode = [System.Security.Cryptography.X509Certificates.X509RevocationMode]::NoCheck
        $policy = $chain.ChainPolicy
        $policy.VerificationFlags = [System.Security.Cryptography.X509Certificates.X509VerificationFlags]::AllFlags
        if ($policy.PSObject.Properties.Name -contains 'DisableCertificateDownloads') { $policy.DisableCertificateDownloads = $true }
        [void]$chain.Build($Certificate)
        $elements = @($chain.ChainElements | ForEach-Object { [Convert]::ToBase64String($_.Certificate.RawData) })
        if ($elements.Count -eq 0) { $elements = @([Convert]::ToBase64String($Certificate.RawData)) }
        , $elements
    }
    finally { $chain.Dispose() }
}

function Get-EntraAuthCertificateCredential {
    <#
    .SYNOPSIS
        Resolves the certificate parameters. Returns @{ PemPath } for PEM files, else
        @{ Certificate; Key; Chain; Source; Owned }
        (Chain: the leaf, with its issuers only for -SendCertificateChain).
    .PARAMETER Parameters
        The bound parameters of the public cmdlet.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory)] [hashtable] $Parameters)

    if ($Parameters.ContainsKey('CertificatePath')) {
        $password = $Parameters['CertificatePassword']
        if ($null -ne $password -and -not ($password -is [string] -or $password -is [securestring])) {
            $message = "-CertificatePassword must be a string or a SecureString, not $($password.GetType().FullName)."
            $hint = 'Pass the password as text or as the SecureString that Read-Host -AsSecureString gives.'
            throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message $message -Hint $hint)
        }
        if ($password -is [string]) {
            $text = $password
            $password = New-Object System.Security.SecureString
            foreach ($character in $text.ToCharArray()) { $password.AppendChar($character) }
        }
        $opened = Open-EntraAuthCertificateFile -Path $Parameters['CertificatePath'] -Password $password
        if ($opened.ContainsKey('PemPath')) { return @{ PemPath = $opened.PemPath; Password = $password } }
        $found = @{ Certificate = $opened.Certificate; Source = $opened.Source; Owned = $true }
    }
    elseif ($Parameters.ContainsKey('CertificateThumbprint')) {
        $store = Find-EntraAuthCertificate -Thumbprint $Parameters['CertificateThumbprint']
        $found = @{ Certificate = $store.Certificate; Source = $store.Source; Owned = $true }
    }
    else {
        $found = @{ Certificate = $Parameters['Certificate']; Source = 'the -Certificate object'; Owned = $false }
    }

    $certificate = $found.Certificate
    try {
        if (-not $certificate.HasPrivateKey) {
            $message = "The certificate $($certificate.Thumbprint) ($($certificate.Subject)) from $($found.Source) " +
                "has no private key."
            $hint = 'Use the certificate together with its private key: a PFX file, a certificate imported from a ' +
                'PFX into the store, or Get-AutomationCertificate for a certificate asset uploaded as .pfx.'
            throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message $message -Hint $hint)
        }
        try { $key = Get-EntraAuthRsaPrivateKey -Certificate $certificate }
        catch {
            $message = "The private key of certificate $($certificate.Thumbprint) from $($found.Source) could not be " +
                "opened: $(Get-EntraAuthInnerMessage -ErrorRecord $_)"
            $hint = 'Run as an account that may use the key (Manage Private Keys in certlm.msc / certmgr.msc).'
            throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message $message -Hint $hint)
        }
        if ($null -eq $key) {
            $message = "The certificate $($certificate.Thumbprint) from $($found.Source) has no RSA key " +
                "($($certificate.PublicKey.Oid.FriendlyName)); client assertions for Entra need RSA."
            $hint = 'Create an RSA certificate of 2048 bits or more (New-SelfSignedCertificate -KeyAlgorithm RSA ' +
                '-KeyLength 2048) and upload it to the app registration.'
            throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message $message -Hint $hint)
        }
        $found.Key = $key
        # The core needs the leaf for the thumbprints, and the issuers only for x5c.
        if ($Parameters['SendCertificateChain']) {
            $found.Chain = Get-EntraAuthCertificateChain -Certificate $certificate
        }
        else { $found.Chain = @([Convert]::ToBase64String($certificate.RawData)) }
        $found
    }
    catch {
        if ($found.Owned) { $certificate.Dispose() }
        throw
    }
}
