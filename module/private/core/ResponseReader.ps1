# Reads the resident core's stdout: routes each message to the call waiting for it, shows a request's log and prompt
# lines as they come, and returns its envelope.

function Write-EntraAuthCoreLine {
    # Shows one log or prompt line of the core as it arrives: prompts (the device code instruction) on the host at once,
    # log lines on the matching stream. The core has already redacted them.
    param([string] $Line)
    if ($Line -eq '') { return }
    if ($Line -match '^\[EntraAuth\] (prompt|warning|info|verbose|debug): (.*)$') {
        switch ($Matches[1]) {
            # Write-Host: shown while the core still waits for the user, never in the output stream, also in
            # transcripts.
            'prompt' { Write-Host -Object $Matches[2] }
            'warning' { Write-Warning -Message $Matches[2] }
            'debug' { Write-Debug -Message $Matches[2] }
            default { Write-Verbose -Message $Matches[2] }
        }
    }
    else { Write-Debug -Message "core: $Line" }
}
# Most log lines kept for a call that waits while another one reads (a call from an event handler), per call.
$script:EntraAuthCoreInboxLimit = 1000

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
        if ($null -eq $Session.FirstByteAt) { $Session.FirstByteAt = [System.Diagnostics.Stopwatch]::GetTimestamp() }
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
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)] [int] $Id,
        [Parameter(Mandatory)] [datetime] $Deadline,
        [Parameter(Mandatory)] [int] $LimitSec
    )
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
                if ($null -ne $message.envelope) { $Session.EnvelopeAt = [System.Diagnostics.Stopwatch]::GetTimestamp(); return $message.envelope }
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
