# The launcher: runs the core, writes the request to its stdin, reads the envelope from its stdout.
# The only place where a secret or a private key becomes plain text, directly before it is written to the pipe.

function ConvertTo-EntraAuthPkcs8Pem {
    # An RSA key as PKCS#8 PEM; when .NET will not export it (a non-exportable key, or Windows PowerShell 5.1,
    # whose .NET lacks ExportPkcs8PrivateKey) an ERR_KEY_NOT_EXPORTABLE record, and the caller signs in PowerShell.
    param([Parameter(Mandatory)] [System.Security.Cryptography.RSA] $Key)
    try { $der = $Key.ExportPkcs8PrivateKey() }
    catch {
        $reason = $_.Exception
        while ($null -ne $reason.InnerException) { $reason = $reason.InnerException }
        throw (New-EntraAuthErrorRecord -Code 'ERR_KEY_NOT_EXPORTABLE' -Message "The private key cannot be exported to the core ($($reason.Message))." -Hint 'None needed: the assertion is signed in PowerShell.')
    }
    try {
        $base64 = [Convert]::ToBase64String($der)
        $lines = for ($i = 0; $i -lt $base64.Length; $i += 64) { $base64.Substring($i, [Math]::Min(64, $base64.Length - $i)) }
        "-----BEGIN PRIVATE KEY-----`n$($lines -join "`n")`n-----END PRIVATE KEY-----`n"
    }
    finally { [Array]::Clear($der, 0, $der.Length) }
}

function ConvertTo-EntraAuthPlainText {
    # A SecureString's text, an RSA key as PKCS#8 PEM, or a value as it is.
    param([object] $Value)
    if ($Value -is [securestring]) { return [System.Net.NetworkCredential]::new('', $Value).Password }
    if ($Value -is [System.Security.Cryptography.RSA]) { return ConvertTo-EntraAuthPkcs8Pem -Key $Value }
    $Value
}

function Write-EntraAuthCoreLog {
    # Sends the core's stderr lines to the matching PowerShell stream. The core has already redacted them.
    param([string] $Text)
    foreach ($line in ($Text -split '\r?\n')) {
        if ($line -eq '') { continue }
        if ($line -match '^\[EntraAuth\] (warning|info|verbose|debug): (.*)$') {
            switch ($Matches[1]) {
                'warning' { Write-Warning -Message $Matches[2] }
                'debug' { Write-Debug -Message $Matches[2] }
                default { Write-Verbose -Message $Matches[2] }
            }
        }
        else { Write-Debug -Message "core: $line" }
    }
}

function Invoke-EntraAuthCore {
    <#
    .SYNOPSIS
        Sends one request to the EntraAuth core and returns the token from its envelope, or throws its error.
    .PARAMETER Request
        The request; values may be SecureStrings or RSA keys, which are turned into text only while writing the JSON.
    .OUTPUTS
        The envelope's token, or for clientCertificatePrepare its unsignedAssertion.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)] [hashtable] $Request,
        [Parameter(Mandatory)] [int] $TimeoutSec
    )

    $core = Resolve-EntraAuthCore
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new()
    $startInfo.FileName = $core.FileName
    $startInfo.Arguments = $core.Arguments
    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $utf8 = [System.Text.UTF8Encoding]::new($false)
    $startInfo.StandardOutputEncoding = $utf8
    $startInfo.StandardErrorEncoding = $utf8

    $process = [System.Diagnostics.Process]::new()
    $process.StartInfo = $startInfo
    $bytes = $null
    try {
        # The payload before the core starts: a key .NET will not export fails here, and no core is left waiting.
        $payload = @{}
        foreach ($key in $Request.Keys) {
            $value = $Request[$key]
            if ($value -is [securestring] -or $value -is [System.Security.Cryptography.RSA]) { $value = ConvertTo-EntraAuthPlainText -Value $value }
            $payload[$key] = $value
        }
        # Bytes to the base stream: UTF-8 without BOM on every edition, whatever the console code page.
        $bytes = $utf8.GetBytes((ConvertTo-Json -InputObject $payload -Compress -Depth 4))
        $payload = $null

        [void]$process.Start()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.StandardInput.BaseStream.Write($bytes, 0, $bytes.Length)
        $process.StandardInput.BaseStream.Flush()
        $process.StandardInput.Close()
        [Array]::Clear($bytes, 0, $bytes.Length)

        # Wait in short slices so Ctrl+C can stop the pipeline; the finally block ends the core then.
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec + 10)
        while (-not $process.WaitForExit(100)) {
            if ([DateTime]::UtcNow -gt $deadline) {
                throw (New-EntraAuthErrorRecord -Code 'ERR_TIMEOUT' -Message "The EntraAuth core gave no answer within $($TimeoutSec + 10) s and was stopped." -Hint 'Check the network path to the login host, or raise -TimeoutSec.')
            }
        }
        $process.WaitForExit()
        $exitCode = $process.ExitCode
        Write-EntraAuthCoreLog -Text $stderr.Result
        $output = $stdout.Result
    }
    finally {
        if ($null -ne $bytes) { [Array]::Clear($bytes, 0, $bytes.Length) }
        # HasExited throws for a process that never started (the payload failed first).
        $running = $false
        try { $running = -not $process.HasExited } catch [System.InvalidOperationException] { $running = $false }
        if ($running) {
            try { $process.Kill() } catch { Write-Debug -Message "Could not stop the core: $($_.Exception.Message)" }
        }
        $process.Dispose()
    }

    $envelope = $null
    try { $envelope = ConvertFrom-Json -InputObject $output } catch { $envelope = $null }
    if ($null -eq $envelope -or $null -eq $envelope.ok) {
        throw (New-EntraAuthErrorRecord -Code 'ERR_INTERNAL' -Message "The EntraAuth core ended without an answer (exit code $exitCode)." -Hint 'Run again with -Debug to see its output, and report the issue.')
    }
    if (-not $envelope.ok) {
        $e = $envelope.error
        throw (New-EntraAuthErrorRecord -Code $e.code -Message $e.message -Hint $e.hint -Status $e.status -OAuth $e.oauth -TargetObject $Request.tenantId)
    }
    if ($null -ne $envelope.unsignedAssertion) { return $envelope.unsignedAssertion }
    $envelope.token
}
