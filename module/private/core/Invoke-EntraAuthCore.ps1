# One request to the core and its envelope: what the cmdlets call.

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
        The envelope's token with the envelope's target (tenant, client, scopes, authority) as its 'target'
        property; for clientCertificatePrepare the unsignedAssertion, for resolveTarget the target, for a request with
        diagnose the envelope with its checks.
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
        # While the core works on the first request: the redacting views for what the cmdlets return, and the hook that
        # ends the core with its runspace (Start-EntraAuthCore leaves it to here, off the path of a cold call).
        Import-EntraAuthFormatData
        Register-EntraAuthCoreCleanup
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
    if ($null -ne $envelope.token) {
        # What the token is for, as the core resolved it: the session cache can key on it.
        Add-Member -InputObject $envelope.token -NotePropertyName 'target' -NotePropertyValue $envelope.target -Force
        return $envelope.token
    }
    if ($null -ne $envelope.unsignedAssertion) { return $envelope.unsignedAssertion }
    if ($null -ne $envelope.checks) { return $envelope }
    $envelope.target
}
