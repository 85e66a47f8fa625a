# The launcher: keeps the session's resident core, writes each request line to its stdin, shows the request's log and prompt lines as they come, returns its envelope.
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
    # Shows one log or prompt line of the core as it arrives: prompts (the device code instruction) on the host at once,
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

$script:EntraAuthCoreSession = $null

function Get-EntraAuthEnvironmentText {
    # The process environment as one text: a core sees the environment it was started with, so a changed one
    # (a test, a script setting IDENTITY_ENDPOINT or a proxy) gets a new core, as a new process per call would.
    $variables = [System.Environment]::GetEnvironmentVariables()
    $names = [string[]]@($variables.Keys)
    [Array]::Sort($names, [System.StringComparer]::Ordinal)
    $text = [System.Text.StringBuilder]::new()
    foreach ($name in $names) { [void]$text.Append($name).Append('=').Append($variables[$name]).Append([char]0) }
    $text.ToString()
}

function Stop-EntraAuthCore {
    <#
    .SYNOPSIS
        Ends this module instance's core: closes its stdin (it exits at EOF), then kills it if it is still there.
    #>
    [CmdletBinding()]
    param([int] $GraceMilliseconds = 0, [string] $Reason)
    $session = $script:EntraAuthCoreSession
    $script:EntraAuthCoreSession = $null
    if ($null -eq $session) { return }
    if ($Reason) { Write-Verbose -Message "Stopping the EntraAuth core (pid $($session.Process.Id)): $Reason" }
    try { $session.Process.StandardInput.Close() } catch { Write-Debug -Message "Closing the core's stdin: $($_.Exception.Message)" }
    try {
        if (-not $session.Process.WaitForExit($GraceMilliseconds)) { $session.Process.Kill() }
    }
    catch { Write-Debug -Message "Could not stop the core: $($_.Exception.Message)" }
    $session.Process.Dispose()
}

function Start-EntraAuthCore {
    # Starts the resident core (--serve) for this module instance, or returns the running one. One that has died,
    # or that was started with another environment or core, is replaced, and -Verbose says why.
    $core = Resolve-EntraAuthCore
    $environment = Get-EntraAuthEnvironmentText
    $session = $script:EntraAuthCoreSession
    if ($null -ne $session) {
        $reason = $null
        if ($session.Process.HasExited) { $reason = "it had ended (exit code $($session.Process.ExitCode))" }
        elseif (-not [object]::ReferenceEquals($session.Command, $core)) { $reason = 'another way to run the core was chosen' }
        elseif (-not [string]::Equals($session.Environment, $environment)) { $reason = 'the environment variables changed' }
        if ($null -eq $reason) { return $session }
        Write-Verbose -Message "Replacing the EntraAuth core (pid $($session.Process.Id)): $reason."
        Stop-EntraAuthCore
    }

    $startInfo = [System.Diagnostics.ProcessStartInfo]::new()
    $startInfo.FileName = $core.FileName
    $startInfo.Arguments = ($core.Arguments + ' --serve').Trim()
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
    [void]$process.Start()
    # One pending read per stream for the core's life: a pending read cannot be taken back, so the next call reuses it.
    $script:EntraAuthCoreSession = [pscustomobject]@{
        Process = $process; Command = $core; Environment = $environment; NextId = 0
        Stdout = $process.StandardOutput.ReadLineAsync(); Stderr = $process.StandardError.ReadLineAsync()
    }
    Write-Verbose -Message "Started the EntraAuth core (pid $($process.Id), $($core.Kind))."
    $script:EntraAuthCoreSession
}

function Send-EntraAuthCoreRequest {
    # Writes one request line to the core's stdin as UTF-8 bytes on the base stream (every edition, any code page).
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [byte[]] $Bytes)
    $stream = $Session.Process.StandardInput.BaseStream
    $stream.Write($Bytes, 0, $Bytes.Length)
    $stream.Flush()
}

function Receive-EntraAuthCoreEnvelope {
    # Reads the core's messages for request $Id in 50 ms slices (Ctrl+C stops the pipeline between them), shows its
    # lines as they come and returns its envelope; throws ERR_TIMEOUT at the deadline and ERR_INTERNAL when the core ends.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [int] $Id, [Parameter(Mandatory)] [datetime] $Deadline, [Parameter(Mandatory)] [int] $LimitSec)
    while ($true) {
        while ($null -ne $Session.Stderr -and $Session.Stderr.IsCompleted) {
            $line = $Session.Stderr.Result
            if ($null -eq $line) { $Session.Stderr = $null; break }
            Write-Debug -Message "core: $line"
            $Session.Stderr = $Session.Process.StandardError.ReadLineAsync()
        }
        while ($Session.Stdout.IsCompleted) {
            $line = $Session.Stdout.Result
            if ($null -eq $line) {
                [void]$Session.Process.WaitForExit(1000)
                $exitCode = 'unknown'
                if ($Session.Process.HasExited) { $exitCode = $Session.Process.ExitCode }
                throw (New-EntraAuthErrorRecord -Code 'ERR_INTERNAL' -Message "The EntraAuth core ended before it answered (exit code $exitCode)." -Hint 'Run the command again (a new core starts); if it happens again, run with -Debug and report the issue.')
            }
            $Session.Stdout = $Session.Process.StandardOutput.ReadLineAsync()
            $message = $null
            try { $message = ConvertFrom-Json -InputObject $line } catch { $message = $null }
            if ($null -eq $message -or $message.id -ne $Id) { Write-Debug -Message 'core: a line that is not for this request was skipped.'; continue }
            if ($null -ne $message.envelope) { return $message.envelope }
            Write-EntraAuthCoreLine -Line $message.line
        }
        if ([DateTime]::UtcNow -gt $Deadline) {
            throw (New-EntraAuthErrorRecord -Code 'ERR_TIMEOUT' -Message "The EntraAuth core gave no answer within $LimitSec s and was stopped." -Hint 'Check the network path to the login host, or raise -TimeoutSec.')
        }
        [void]$Session.Stdout.Wait(50)
    }
}

function Invoke-EntraAuthCore {
    <#
    .SYNOPSIS
        Sends one request to this session's EntraAuth core and returns the token from its envelope, or throws its error.
    .DESCRIPTION
        The core is started at the first call and kept (one per module instance, so one per runspace); see
        src/protocol/wire.ts for the messages. A core that died is replaced once, transparently; a call that does
        not finish (Ctrl+C, timeout, the core ending) stops the core, and the next call starts a new one.
    .PARAMETER Request
        The request; values may be SecureStrings or RSA keys, which are turned into text only while writing the JSON.
    .OUTPUTS
        The envelope's token, or for clientCertificatePrepare its unsignedAssertion, for resolveTarget its target.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)] [hashtable] $Request,
        [Parameter(Mandatory)] [int] $TimeoutSec
    )

    $bytes = $null
    $finished = $false
    try {
        # The payload before the core starts: a key .NET will not export fails here.
        $session = Start-EntraAuthCore
        $session.NextId++
        $id = $session.NextId
        $payload = @{ id = $id }
        foreach ($key in $Request.Keys) {
            $value = $Request[$key]
            if ($value -is [securestring] -or $value -is [System.Security.Cryptography.RSA]) { $value = ConvertTo-EntraAuthPlainText -Value $value }
            $payload[$key] = $value
        }
        $bytes = [System.Text.UTF8Encoding]::new($false).GetBytes((ConvertTo-Json -InputObject $payload -Compress -Depth 4) + "`n")
        $payload = $null
        try { Send-EntraAuthCoreRequest -Session $session -Bytes $bytes }
        catch [System.IO.IOException] {
            # The core went away between calls (its pipe is closed): once, transparently, a new one.
            Write-Verbose -Message "The EntraAuth core (pid $($session.Process.Id)) could not be reached ($($_.Exception.Message)); starting a new one."
            Stop-EntraAuthCore
            $session = Start-EntraAuthCore
            $session.NextId = $id
            Send-EntraAuthCoreRequest -Session $session -Bytes $bytes
        }
        [Array]::Clear($bytes, 0, $bytes.Length)
        $envelope = Receive-EntraAuthCoreEnvelope -Session $session -Id $id -Deadline ([DateTime]::UtcNow.AddSeconds($TimeoutSec + 10)) -LimitSec ($TimeoutSec + 10)
        $finished = $true
    }
    finally {
        if ($null -ne $bytes) { [Array]::Clear($bytes, 0, $bytes.Length) }
        # Ctrl+C, a timeout or a dead core: this request may still run in the core; stop it, the next call starts anew.
        if (-not $finished) { Stop-EntraAuthCore }
    }

    if (-not $envelope.ok) {
        $e = $envelope.error
        throw (New-EntraAuthErrorRecord -Code $e.code -Message $e.message -Hint $e.hint -Status $e.status -OAuth $e.oauth -TargetObject $Request.tenantId)
    }
    if ($null -ne $envelope.unsignedAssertion) { return $envelope.unsignedAssertion }
    if ($null -ne $envelope.target) { return $envelope.target }
    $envelope.token
}
