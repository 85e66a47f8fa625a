# The launcher: keeps the session's resident core (and ends it with its runspace), writes each request line to its stdin,
# routes the core's messages to the calls waiting for them, shows a request's log and prompt lines as they come, returns its envelope.
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
$script:EntraAuthCoreCleanupId = $null
$script:EntraAuthCoreInstance = $null

# Seconds a resident core waits without a request before it exits by itself (ENTRAAUTH_CORE_IDLE_SEC overrides).
$script:EntraAuthCoreIdleDefaultSec = 300
$script:EntraAuthCoreIdleMaxSec = 86400
# Most log lines kept for a call that waits while another one reads (a call from an event handler), per call.
$script:EntraAuthCoreInboxLimit = 1000

function ConvertTo-EntraAuthWireValue {
    # A request value as plain .NET data for the JSON writer: the base object of anything PowerShell decorated (a
    # string from Get-Content carries PSPath and other notes, which Windows PowerShell 5.1's ConvertTo-Json writes
    # as {"value":...,"PSPath":...}), dictionaries and lists element by element, SecureStrings and RSA keys as text.
    param([object] $Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Management.Automation.PSObject]) { $Value = $Value.psobject.BaseObject }
    if ($Value -is [securestring] -or $Value -is [System.Security.Cryptography.RSA]) { return [string](ConvertTo-EntraAuthPlainText -Value $Value) }
    if ($Value -is [string] -or $Value -is [System.ValueType]) { return $Value }
    if ($Value -is [System.Collections.IDictionary]) {
        $copy = [ordered]@{}
        foreach ($key in @($Value.Keys)) { $copy[[string](ConvertTo-EntraAuthWireValue -Value $key)] = ConvertTo-EntraAuthWireValue -Value $Value[$key] }
        return $copy
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $Value) { $items.Add((ConvertTo-EntraAuthWireValue -Value $item)) }
        return , $items.ToArray()
    }
    $Value
}

function ConvertTo-EntraAuthRequestLine {
    # The one writer of the core's requests: {"id":<n>, ...} as one line of UTF-8 bytes, id first (the core can
    # answer a line whose rest it cannot read by that id), every value unwrapped to its base object.
    param([Parameter(Mandatory)] [int] $Id, [Parameter(Mandatory)] [hashtable] $Request)
    $payload = [ordered]@{ id = $Id }
    foreach ($key in $Request.Keys) { $payload[[string]$key] = ConvertTo-EntraAuthWireValue -Value $Request[$key] }
    try { [System.Text.UTF8Encoding]::new($false).GetBytes((ConvertTo-Json -InputObject $payload -Compress -Depth 6) + "`n") }
    finally { $payload = $null }
}

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

function Get-EntraAuthCoreIdleSeconds {
    # ENTRAAUTH_CORE_IDLE_SEC (whole seconds, 1 to a day), else the default: how long an unused core stays.
    $text = [string][System.Environment]::GetEnvironmentVariable('ENTRAAUTH_CORE_IDLE_SEC')
    if ($text.Trim() -eq '') { return $script:EntraAuthCoreIdleDefaultSec }
    $seconds = 0
    if ($text.Trim() -match '^\d{1,5}$' -and [int]::TryParse($text.Trim(), [ref]$seconds) -and $seconds -ge 1 -and $seconds -le $script:EntraAuthCoreIdleMaxSec) { return $seconds }
    throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "ENTRAAUTH_CORE_IDLE_SEC is '$text', which is not a number of seconds from 1 to $($script:EntraAuthCoreIdleMaxSec)." -Hint "Set ENTRAAUTH_CORE_IDLE_SEC to whole seconds (default $($script:EntraAuthCoreIdleDefaultSec)), or remove it.")
}

function Register-EntraAuthCoreCleanup {
    # Once per module instance: when its runspace closes (a ForEach-Object -Parallel or thread job runspace that
    # ended, which never runs the module's OnRemove), PowerShell.Exiting ends the core at once.
    if ($null -ne $script:EntraAuthCoreCleanupId) { return }
    # An event action runs in a module of its own and the engine's Exiting event carries no -MessageData, so the
    # action finds this module instance among the runspace's modules by a marker and stops its core in its scope.
    $script:EntraAuthCoreInstance = [guid]::NewGuid().ToString()
    $action = [scriptblock]::Create(@"
foreach (`$instance in @(Get-Module -Name EntraAuth)) {
    & `$instance { param([string] `$Marker) if (`$script:EntraAuthCoreInstance -eq `$Marker) { Stop-EntraAuthCore -Reason 'its runspace is closing' } } '$($script:EntraAuthCoreInstance)'
}
"@)
    Register-EngineEvent -SourceIdentifier PowerShell.Exiting -SupportEvent -Action $action
    $script:EntraAuthCoreCleanupId = (Get-EventSubscriber -SourceIdentifier PowerShell.Exiting -Force | Sort-Object -Property SubscriptionId | Select-Object -Last 1).SubscriptionId
}

function Unregister-EntraAuthCoreCleanup {
    # Removes what Register-EntraAuthCoreCleanup added (the module is being removed).
    if ($null -eq $script:EntraAuthCoreCleanupId) { return }
    Unregister-Event -SubscriptionId $script:EntraAuthCoreCleanupId -Force -ErrorAction SilentlyContinue
    $script:EntraAuthCoreCleanupId = $null
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
    # A call still waiting on this core (the outer one, when a call from an event handler stops it) learns why.
    $session.Stopped = $Reason
    if (-not $session.Stopped) { $session.Stopped = 'a call that did not finish stopped it' }
    if ($Reason) { Write-Verbose -Message "Stopping the EntraAuth core (pid $($session.Process.Id)): $Reason" }
    try { $session.Process.StandardInput.Close() } catch { Write-Debug -Message "Closing the core's stdin: $($_.Exception.Message)" }
    try {
        if (-not $session.Process.WaitForExit($GraceMilliseconds)) { $session.Process.Kill() }
    }
    catch { Write-Debug -Message "Could not stop the core: $($_.Exception.Message)" }
    $session.Process.Dispose()
}

function Start-EntraAuthCore {
    # Starts the resident core (--serve --idle-sec <n>) for this module instance, or returns the running one. One
    # that has ended (idle, or died), or that was started with another environment or core, is replaced, and
    # -Verbose says why; while a call of this runspace waits on it, only an ended one.
    $core = Resolve-EntraAuthCore
    $environment = Get-EntraAuthEnvironmentText
    $idleSec = Get-EntraAuthCoreIdleSeconds
    $session = $script:EntraAuthCoreSession
    if ($null -ne $session) {
        $reason = $null
        $busy = $session.Waiting.Count -gt 0
        if ($session.Process.HasExited) {
            $reason = "it had ended (exit code $($session.Process.ExitCode))"
            if ($session.Process.ExitCode -eq 0) { $reason = "it had ended after $($session.IdleSec) s without a request" }
        }
        elseif ($busy) { return $session }
        elseif (-not [object]::ReferenceEquals($session.Command, $core)) { $reason = 'another way to run the core was chosen' }
        elseif (-not [string]::Equals($session.Environment, $environment)) { $reason = 'the environment variables changed' }
        if ($null -eq $reason) { return $session }
        Write-Verbose -Message "Replacing the EntraAuth core (pid $($session.Process.Id)): $reason."
        Stop-EntraAuthCore
    }

    $startInfo = [System.Diagnostics.ProcessStartInfo]::new()
    $startInfo.FileName = $core.FileName
    $startInfo.Arguments = ($core.Arguments + " --serve --idle-sec $idleSec").Trim()
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
    # Test only: what .NET Framework's Process.Start does under code page 65001 (Windows PowerShell 5.1), writing the
    # console input encoding's preamble to the redirected stdin once, before anything else; so the pwsh 7 suite runs
    # that path. The module itself writes nothing but request lines (src/protocol/wire.ts).
    if ($env:ENTRAAUTH_TEST_STDIN_PREAMBLE -eq '1') {
        $preamble = [System.Text.UTF8Encoding]::new($true).GetPreamble()
        $process.StandardInput.BaseStream.Write($preamble, 0, $preamble.Length)
        $process.StandardInput.BaseStream.Flush()
    }
    Register-EntraAuthCoreCleanup
    # One pending read per stream for the core's life: a pending read cannot be taken back, so the next call reuses it.
    # Waiting: the ids of this runspace's calls that wait for an answer; Inbox: messages read for one of them by another.
    $script:EntraAuthCoreSession = [pscustomobject]@{
        Process = $process; Command = $core; Environment = $environment; IdleSec = $idleSec; NextId = 0
        Stdout = $process.StandardOutput.ReadLineAsync(); Stderr = $process.StandardError.ReadLineAsync()
        Waiting = @{}; Inbox = @{}; Unroutable = $null; Stopped = $null; EndedWith = $null
    }
    Write-Verbose -Message "Started the EntraAuth core (pid $($process.Id), $($core.Kind), exits after $idleSec s without a request)."
    $script:EntraAuthCoreSession
}

function Send-EntraAuthCoreRequest {
    # Writes one request line to the core's stdin as UTF-8 bytes on the base stream (every edition, any code page).
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [byte[]] $Bytes)
    $stream = $Session.Process.StandardInput.BaseStream
    $stream.Write($Bytes, 0, $Bytes.Length)
    $stream.Flush()
}

function Read-EntraAuthCoreMessage {
    # The next message of the core's stdout that is complete, or $null when none is yet; 'end' at EOF. Stderr lines
    # (a crash) go to -Debug.
    param([Parameter(Mandatory)] $Session)
    while ($null -ne $Session.Stderr -and $Session.Stderr.IsCompleted) {
        $line = $Session.Stderr.Result
        if ($null -eq $line) { $Session.Stderr = $null; break }
        Write-Debug -Message "core: $line"
        $Session.Stderr = $Session.Process.StandardError.ReadLineAsync()
    }
    while ($Session.Stdout.IsCompleted) {
        $line = $Session.Stdout.Result
        if ($null -eq $line) { return 'end' }
        $Session.Stdout = $Session.Process.StandardOutput.ReadLineAsync()
        $message = $null
        try { $message = ConvertFrom-Json -InputObject $line } catch { $message = $null }
        if ($null -ne $message -and $message.psobject.Properties['id']) { return $message }
        Write-Debug -Message 'core: a line that is not a message was skipped.'
    }
    $null
}

function Receive-EntraAuthCoreEnvelope {
    # The dispatcher: reads the core's messages in 50 ms slices (Ctrl+C stops the pipeline between them), shows the
    # lines of request $Id as they come and returns its envelope. A message for another call of this runspace that
    # waits (an outer call, when this one runs from an event handler) is kept for it, a message with id null (a line
    # the core could not read) fails every waiting call with ERR_PROTOCOL. Throws ERR_TIMEOUT at the deadline and
    # ERR_INTERNAL when the core ends; returns $null when it ended before anything came back for this request.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [int] $Id, [Parameter(Mandatory)] [datetime] $Deadline, [Parameter(Mandatory)] [int] $LimitSec)
    $seen = $false
    while ($true) {
        $inbox = $Session.Inbox[$Id]
        while ($null -ne $inbox -and $inbox.Count -gt 0) {
            $message = $inbox.Dequeue()
            if ($null -ne $message.envelope) { return $message.envelope }
            $seen = $true
            Write-EntraAuthCoreLine -Line $message.line
        }
        if ($null -ne $Session.Unroutable) {
            throw (New-EntraAuthErrorRecord -Code 'ERR_PROTOCOL' -Message "The EntraAuth core could not read a request line: $($Session.Unroutable.error.message)" -Hint 'Reinstall the EntraAuth module; if it happens again, run with -Debug and report the issue.')
        }
        if ($null -ne $Session.Stopped) {
            throw (New-EntraAuthErrorRecord -Code 'ERR_INTERNAL' -Message "The EntraAuth core was stopped before it answered: $($Session.Stopped)." -Hint 'Run the command again (a new core starts).')
        }
        $message = Read-EntraAuthCoreMessage -Session $Session
        if ($message -is [string]) {
            [void]$Session.Process.WaitForExit(1000)
            $exited = $Session.Process.HasExited
            $exitCode = 'unknown'
            if ($exited) { $exitCode = $Session.Process.ExitCode }
            # Nothing came back for this request, not even that the core read it (its first message): it never
            # began, at an idle exit as it was written, or in a core that had been killed before .NET saw it end.
            # Only then does the caller send it once more, to a new core: a request the core read may have gone to
            # Entra already, and is never sent twice.
            $neverBegan = $exited -and -not $seen
            if ($neverBegan) { $Session.EndedWith = $exitCode; return $null }
            throw (New-EntraAuthErrorRecord -Code 'ERR_INTERNAL' -Message "The EntraAuth core ended before it answered (exit code $exitCode)." -Hint 'Run the command again (a new core starts); if it happens again, run with -Debug and report the issue.')
        }
        if ($null -ne $message) {
            if ($message.id -eq $Id) {
                if ($null -ne $message.envelope) { return $message.envelope }
                $seen = $true
                Write-EntraAuthCoreLine -Line $message.line
            }
            elseif ($null -eq $message.id -and $null -ne $message.envelope) { $Session.Unroutable = $message.envelope }
            elseif ($null -ne $message.id -and $Session.Waiting.ContainsKey([int]$message.id)) {
                $other = [int]$message.id
                if (-not $Session.Inbox.ContainsKey($other)) { $Session.Inbox[$other] = [System.Collections.Generic.Queue[object]]::new() }
                if ($null -ne $message.envelope -or $Session.Inbox[$other].Count -lt $script:EntraAuthCoreInboxLimit) { $Session.Inbox[$other].Enqueue($message) }
                else { Write-Debug -Message "core: a log line of request $other was dropped (more than $($script:EntraAuthCoreInboxLimit) kept)." }
            }
            else { Write-Debug -Message 'core: a message for no waiting request was skipped.' }
            continue
        }
        if ([DateTime]::UtcNow -gt $Deadline) {
            throw (New-EntraAuthErrorRecord -Code 'ERR_TIMEOUT' -Message "The EntraAuth core gave no answer within $LimitSec s and was stopped." -Hint 'Check the network path to the login host, or raise -TimeoutSec.')
        }
        [void]$Session.Stdout.Wait(50)
    }
}

function Send-EntraAuthCoreLine {
    # Sends request $Id's bytes to this runspace's core, starting one if needed; once, transparently, to a new core
    # when the pipe of the old one is broken (it went away between calls). Returns the session that has the request.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [int] $Id, [Parameter(Mandatory)] [byte[]] $Bytes)
    try { Send-EntraAuthCoreRequest -Session $Session -Bytes $Bytes }
    catch [System.IO.IOException] {
        Write-Verbose -Message "The EntraAuth core (pid $($Session.Process.Id)) could not be reached ($($_.Exception.Message)); starting a new one."
        $Session = Start-EntraAuthCoreFor -Id $Id -Replace
        Send-EntraAuthCoreRequest -Session $Session -Bytes $Bytes
    }
    $Session
}

function Start-EntraAuthCoreFor {
    # The session for request $Id (a new core with -Replace), with $Id waiting on it; a new core continues the ids.
    param([Parameter(Mandatory)] [int] $Id, [switch] $Replace)
    if ($Replace) { Stop-EntraAuthCore }
    $session = Start-EntraAuthCore
    if ($session.NextId -lt $Id) { $session.NextId = $Id }
    $session.Waiting[$Id] = $true
    $session
}

function Invoke-EntraAuthCore {
    <#
    .SYNOPSIS
        Sends one request to this session's EntraAuth core and returns the token from its envelope, or throws its error.
    .DESCRIPTION
        The core is started at the first call and kept (one per module instance, so one per runspace) until its
        runspace closes, the module is removed, or it had no request for ENTRAAUTH_CORE_IDLE_SEC seconds (300); see
        src/protocol/wire.ts for the messages. A core that ended is replaced once, transparently; a call that does
        not finish (Ctrl+C, timeout, the core dying) stops the core, and the next call starts a new one. A call made
        while another waits (from an event handler) gets its own answer and keeps the other's for it.
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
    $session = $null
    $id = 0
    try {
        $session = Start-EntraAuthCore
        $session.NextId++
        $id = $session.NextId
        $session.Waiting[$id] = $true
        # The one writer: values as their base objects, SecureStrings and RSA keys as text only in these bytes.
        $bytes = ConvertTo-EntraAuthRequestLine -Id $id -Request $Request
        $session = Send-EntraAuthCoreLine -Session $session -Id $id -Bytes $bytes
        $limitSec = $TimeoutSec + 10
        $deadline = [DateTime]::UtcNow.AddSeconds($limitSec)
        $envelope = Receive-EntraAuthCoreEnvelope -Session $session -Id $id -Deadline $deadline -LimitSec $limitSec
        if ($null -eq $envelope) {
            # It ended before anything came back for this request (at its idle limit as the request was written, or
            # killed before .NET saw it end, so the write still went through): once, transparently, a new one.
            $why = "ended (exit code $($session.EndedWith)) before any answer to this request"
            if ($session.EndedWith -eq 0) { $why = "ended after $($session.IdleSec) s without a request as this one was sent" }
            Write-Verbose -Message "The EntraAuth core (pid $($session.Process.Id)) $why; sending it to a new one."
            $session = Start-EntraAuthCoreFor -Id $id -Replace
            Send-EntraAuthCoreRequest -Session $session -Bytes $bytes
            $envelope = Receive-EntraAuthCoreEnvelope -Session $session -Id $id -Deadline $deadline -LimitSec $limitSec
            if ($null -eq $envelope) { throw (New-EntraAuthErrorRecord -Code 'ERR_INTERNAL' -Message "The EntraAuth core ended twice before it answered (exit code $($session.EndedWith))." -Hint 'Run the command again; if it happens again, run with -Debug and report the issue.') }
        }
        $finished = $true
    }
    finally {
        if ($null -ne $bytes) { [Array]::Clear($bytes, 0, $bytes.Length) }
        if ($null -ne $session) { $session.Waiting.Remove($id); $session.Inbox.Remove($id) }
        # Ctrl+C, a timeout or a dead core: this request may still run in the core; stop it, the next call starts anew.
        if (-not $finished) { Stop-EntraAuthCore -Reason $null }
    }

    if (-not $envelope.ok) {
        $e = $envelope.error
        throw (New-EntraAuthErrorRecord -Code $e.code -Message $e.message -Hint $e.hint -Status $e.status -OAuth $e.oauth -TargetObject $Request.tenantId)
    }
    if ($null -ne $envelope.unsignedAssertion) { return $envelope.unsignedAssertion }
    if ($null -ne $envelope.target) { return $envelope.target }
    $envelope.token
}
