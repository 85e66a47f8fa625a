# The launcher: runs the core, writes the request to its stdin, shows its stderr lines as they come, reads the envelope from its stdout.
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

function Test-EntraAuthSameSecret {
    # True when two secrets (string, SecureString or script block) are the same text, for the session cache: a call
    # with another secret or refresh token must not get the token of this one. Here because this file is the only
    # place a secret becomes plain text; nothing is kept.
    param([object] $Left, [object] $Right)
    if ($null -eq $Left -or $null -eq $Right) { return ($null -eq $Left) -and ($null -eq $Right) }
    if ($Left -is [scriptblock] -or $Right -is [scriptblock]) { return ([string]$Left) -ceq ([string]$Right) }
    ([string](ConvertTo-EntraAuthPlainText -Value $Left)) -ceq ([string](ConvertTo-EntraAuthPlainText -Value $Right))
}

function Write-EntraAuthCoreLine {
    # Shows one stderr line of the core as it arrives: prompts (the device code instruction) on the host at once,
    # log lines on the matching stream. The core has already redacted them.
    param([string] $Line)
    if ($Line -eq '') { return }
    if ($Line -match '^\[EntraAuth\] (prompt|warning|info|verbose|debug): (.*)$') {
        switch ($Matches[1]) {
            # Write-Host: shown while the core still waits for the user, never in the output stream, also in transcripts.
            'prompt' { Write-Host -Object $Matches[2] }
            'warning' { Write-Warning -Message $Matches[2] }
            'debug' { Write-Debug -Message $Matches[2] }
            default { Write-Verbose -Message $Matches[2] }
        }
    }
    else { Write-Debug -Message "core: $Line" }
}

function Wait-EntraAuthCoreExit {
    # Waits for the core to end while showing its stderr lines as they come, in slices short enough for Ctrl+C
    # (PowerShell stops a pipeline between statements); throws ERR_TIMEOUT at the deadline.
    param([Parameter(Mandatory)] [System.Diagnostics.Process] $Process, [Parameter(Mandatory)] [datetime] $Deadline, [Parameter(Mandatory)] [int] $LimitSec)
    $reader = $Process.StandardError
    $nextLine = $reader.ReadLineAsync()
    $stderrOpen = $true
    while ($true) {
        while ($stderrOpen -and $nextLine.IsCompleted) {
            $line = $nextLine.Result
            if ($null -eq $line) { $stderrOpen = $false; break }
            Write-EntraAuthCoreLine -Line $line
            $nextLine = $reader.ReadLineAsync()
        }
        if (-not $stderrOpen -and $Process.HasExited) { return }
        if ([DateTime]::UtcNow -gt $Deadline) {
            throw (New-EntraAuthErrorRecord -Code 'ERR_TIMEOUT' -Message "The EntraAuth core gave no answer within $LimitSec s and was stopped." -Hint 'Check the network path to the login host, or raise -TimeoutSec.')
        }
        if ($stderrOpen) { [void]$nextLine.Wait(50) } else { [void]$Process.WaitForExit(50) }
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
        $process.StandardInput.BaseStream.Write($bytes, 0, $bytes.Length)
        $process.StandardInput.BaseStream.Flush()
        $process.StandardInput.Close()
        [Array]::Clear($bytes, 0, $bytes.Length)

        # stderr is shown line by line while the core runs (the device code prompt must reach the user while
        # it polls); Ctrl+C stops the pipeline within a slice, and the finally block ends the core then.
        Wait-EntraAuthCoreExit -Process $process -Deadline ([DateTime]::UtcNow.AddSeconds($TimeoutSec + 10)) -LimitSec ($TimeoutSec + 10)
        $process.WaitForExit()
        $exitCode = $process.ExitCode
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
    if (($null -eq $envelope -or $null -eq $envelope.ok) -and $exitCode -in 130, 143) {
        # Ctrl+C reaches the core too (same process group on Unix): give PowerShell's stop a moment to win,
        # so the user sees a stopped command, not an error.
        for ($i = 0; $i -lt 10 -and -not $PSCmdlet.Stopping; $i++) { Start-Sleep -Milliseconds 50 }
        throw (New-EntraAuthErrorRecord -Code 'ERR_INTERNAL' -Message "The EntraAuth core was interrupted by a signal (exit code $exitCode) before it answered." -Hint 'Run the command again; if nobody pressed Ctrl+C, check what stops processes on this machine.')
    }
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
