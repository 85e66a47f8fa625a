# -CertificatePath: a PFX/P12 file opened by .NET here, or a PEM file the core reads (key material never passes through PowerShell).

# The most bytes read from a certificate file: the core's FILE_LIMITS.certificate (src/io/readBoundedFile.ts).
# The cap is the protocol table's, as the core's for the PEM files it reads: $script:EntraAuthCertificateFileMaxBytes.

function New-EntraAuthCertificateFileError {
    # The error for a certificate file that is not read, naming the file, the reason and the limit.
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Reason)
    $limit = '{0} MiB' -f ($script:EntraAuthCertificateFileMaxBytes / 1MB)
    New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "The certificate file '$Path' could not be read: $Reason." -Hint "Check -CertificatePath: a regular PEM or PFX file of at most $limit that this account may read."
}

function Read-EntraAuthCertificateFileBytes {
    <#
    .SYNOPSIS
        The bytes of a certificate file: a regular file (or a symlink to one) of at most 1 MiB, read with that cap.
    .DESCRIPTION
        Size and type are checked before the open, on the link's target where .NET resolves links: on Linux and macOS
        a FIFO or a device reports size 0, and opening a FIFO would wait for a writer. After the open, a stream that
        cannot seek is no regular file, and no more than the limit plus one byte is read.
    #>
    [CmdletBinding()]
    [OutputType([byte[]])]
    param([Parameter(Mandatory)] [string] $Path)

    $max = $script:EntraAuthCertificateFileMaxBytes
    $info = New-Object System.IO.FileInfo $Path
    if ($null -ne $info.PSObject.Methods['ResolveLinkTarget'] -and $info.LinkTarget) {
        $info = $info.ResolveLinkTarget($true)
        if ($null -eq $info -or -not $info.Exists) { throw (New-EntraAuthCertificateFileError -Path $Path -Reason 'it is a symbolic link to a file that does not exist') }
    }
    if ($info.Length -gt $max) { throw (New-EntraAuthCertificateFileError -Path $Path -Reason "it is larger than $($max / 1MB) MiB, the most EntraAuth reads from such a file") }
    # Only where FIFOs and devices live in the file system: Windows PowerShell 5.1 reports 0 for a symlink's own entry.
    $onUnix = $PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows
    if ($onUnix -and $info.Length -eq 0) {
        # pwsh 7 names devices in UnixMode (c, b); it shows a FIFO as a regular file, which reports size 0 like an empty one.
        $mode = ''
        $item = Get-Item -LiteralPath $info.FullName -Force -ErrorAction Ignore
        if ($null -ne $item -and $null -ne $item.PSObject.Properties['UnixMode']) { $mode = [string]$item.UnixMode }
        $reason = 'it is empty, or not a regular file (a FIFO or a device)'
        if ($mode.StartsWith('c')) { $reason = 'it is a character device, not a regular file' }
        elseif ($mode.StartsWith('b')) { $reason = 'it is a block device, not a regular file' }
        throw (New-EntraAuthCertificateFileError -Path $Path -Reason $reason)
    }

    $buffer = New-Object byte[] ($max + 1)
    $count = 0
    try { $stream = [System.IO.File]::OpenRead($Path) }
    catch {
        $cause = $_.Exception
        if ($null -ne $cause.InnerException) { $cause = $cause.InnerException }
        throw (New-EntraAuthCertificateFileError -Path $Path -Reason "it could not be opened ($($cause.GetType().Name))")
    }
    try {
        if (-not $stream.CanSeek) { throw (New-EntraAuthCertificateFileError -Path $Path -Reason 'it is not a regular file') }
        while ($count -lt $buffer.Length) {
            $read = $stream.Read($buffer, $count, $buffer.Length - $count)
            if ($read -eq 0) { break }
            $count += $read
        }
    }
    finally { $stream.Dispose() }
    if ($count -gt $max) { throw (New-EntraAuthCertificateFileError -Path $Path -Reason "it is larger than $($max / 1MB) MiB, the most EntraAuth reads from such a file") }
    if ($count -eq 0) { throw (New-EntraAuthCertificateFileError -Path $Path -Reason 'it is empty') }
    $bytes = New-Object byte[] $count
    [System.Array]::Copy($buffer, $bytes, $count)
    , $bytes
}

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

    $bytes = Read-EntraAuthCertificateFileBytes -Path $fullPath
    # PFX is DER: its first byte is 0x30 (SEQUENCE). Anything else is handed to the core as PEM text, which it checks.
    if ($bytes[0] -ne 0x30) { return @{ PemPath = $fullPath } }

    # Exportable so the core can sign with the key; ephemeral (where .NET has it) so no key file is left on disk.
    $flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable
    if ([enum]::GetNames([System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]) -contains 'EphemeralKeySet' -and -not $IsMacOS) {
        $flags = $flags -bor [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet
    }
    if ($null -eq $Password) { $Password = New-Object System.Security.SecureString }
    try {
        $certificate = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $bytes, $Password, $flags
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
