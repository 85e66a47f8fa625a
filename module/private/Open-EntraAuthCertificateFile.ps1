# -CertificatePath: a PFX/P12 file opened by .NET here, or a PEM file the core reads (key material never passes through PowerShell).

function Open-EntraAuthCertificateFile {
    <#
    .SYNOPSIS
        Resolves -CertificatePath; returns @{ PemPath } for a PEM file, or @{ Certificate } (an X509Certificate2 with its key) for a PFX/P12 file.
    .PARAMETER Path
        The path as the user gave it; relative paths are resolved from the current PowerShell location.
    .PARAMETER Password
        The PFX password as a SecureString (an empty one for none). .NET takes it as it is: it never becomes plain text here.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [AllowNull()] [securestring] $Password
    )

    $fullPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    if (-not (Test-Path -LiteralPath $fullPath -PathType Leaf)) {
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "The certificate file '$fullPath' was not found." -Hint "Check -CertificatePath; a relative path is resolved from the current location ($((Get-Location).Path)).")
    }

    # PFX is DER: its first byte is 0x30 (SEQUENCE). Anything else is handed to the core as PEM text, which it checks.
    $head = New-Object byte[] 16
    $stream = [System.IO.File]::OpenRead($fullPath)
    try { $count = $stream.Read($head, 0, $head.Length) } finally { $stream.Dispose() }
    if ($count -eq 0) {
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "The certificate file '$fullPath' is empty." -Hint 'Pass a PFX/P12 file, or a PEM file with the certificate and its private key.')
    }
    if ($head[0] -ne 0x30) { return @{ PemPath = $fullPath } }

    # Exportable so the core can sign with the key; ephemeral (where .NET has it) so no key file is left on disk.
    $flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable
    if ([enum]::GetNames([System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]) -contains 'EphemeralKeySet' -and -not $IsMacOS) {
        $flags = $flags -bor [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet
    }
    if ($null -eq $Password) { $Password = New-Object System.Security.SecureString }
    try {
        $certificate = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $fullPath, $Password, $flags
    }
    catch {
        $inner = $_.Exception
        while ($null -ne $inner.InnerException) { $inner = $inner.InnerException }
        # 0x80070056 ERROR_INVALID_PASSWORD, on Windows and in .NET's own PKCS#12 reader alike.
        if ($inner.HResult -eq -2147024810) {
            throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "The password for the PFX file '$fullPath' is wrong, or the file needs one and none was given." -Hint 'Pass the password the PFX was exported with in -CertificatePassword (a string or a SecureString).')
        }
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "'$fullPath' could not be opened as a PFX/P12 file: $($inner.Message)" -Hint 'Pass a PFX/P12 file that holds the certificate with its private key, or a PEM file with both.')
    }
    @{ Certificate = $certificate; Source = "the PFX file '$fullPath'" }
}
