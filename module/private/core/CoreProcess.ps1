# The session's resident core: started once, ended with its runspace or the module, restarted when it died or idled out.

$script:EntraAuthCoreSession = $null
$script:EntraAuthCoreCleanupId = $null
$script:EntraAuthCoreInstance = $null

# Seconds a resident core waits without a request before it exits by itself (ENTRAAUTH_CORE_IDLE_SEC overrides), and
# the most it takes: the protocol table's $script:EntraAuthCoreIdleDefaultSec and $script:EntraAuthCoreIdleMaxSec.

function Test-EntraAuthEnvironmentChanged {
    # A core sees the environment it was started with, so a changed one (a test, a script setting IDENTITY_ENDPOINT or
    # a proxy) gets a new core, as a new process per call would. $Snapshot: GetEnvironmentVariables() when it started,
    # one .NET call on the cold path; the comparison runs at later calls, when it costs little.
    param([Parameter(Mandatory)] [System.Collections.IDictionary] $Snapshot)
    $variables = [System.Environment]::GetEnvironmentVariables()
    if ($variables.Count -ne $Snapshot.Count) { return $true }
    foreach ($name in $variables.Keys) {
        if (-not $Snapshot.Contains($name)) { return $true }
        if (-not [string]::Equals($variables[$name], $Snapshot[$name])) { return $true }
    }
    $false
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
    # The engine's event manager, not Register-EngineEvent and Get-EventSubscriber: it returns the subscriber, and costs
    # a cold call no cmdlet's first use. Support event: Get-EventSubscriber does not list it without -Force.
    $subscriber = $ExecutionContext.Events.SubscribeEvent($null, $null, 'PowerShell.Exiting', $null, $action, $true, $false)
    $script:EntraAuthCoreCleanupId = $subscriber.SubscriptionId
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
        elseif (Test-EntraAuthEnvironmentChanged -Snapshot $session.Environment) { $reason = 'the environment variables changed' }
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
    $spawnedAt = [System.Diagnostics.Stopwatch]::GetTimestamp()
    [void]$process.Start()
    # Test only: what .NET Framework's Process.Start does under code page 65001 (Windows PowerShell 5.1), writing the
    # console input encoding's preamble to the redirected stdin once, before anything else; so the pwsh 7 suite runs
    # that path. The module itself writes nothing but request lines (src/protocol/wire.ts).
    if ($env:ENTRAAUTH_TEST_STDIN_PREAMBLE -eq '1') {
        $preamble = [System.Text.UTF8Encoding]::new($true).GetPreamble()
        $process.StandardInput.BaseStream.Write($preamble, 0, $preamble.Length)
        $process.StandardInput.BaseStream.Flush()
    }
    # One pending read per stream for the core's life: a pending read cannot be taken back, so the next call reuses it.
    # Waiting: the ids of this runspace's calls that wait for an answer; Inbox: messages read for one of them by another.
    # Environment: what the core inherited, read after it started (nothing changes it in between); a later call that
    # sees other variables replaces the core. The runspace-closing hook is added once the first request is on its way
    # (Invoke-EntraAuthCore), off the path of a cold call.
    $script:EntraAuthCoreSession = [pscustomobject]@{
        Process = $process; Command = $core; IdleSec = $idleSec; NextId = 0
        Environment = [System.Environment]::GetEnvironmentVariables()
        Stdout = $process.StandardOutput.ReadLineAsync(); Stderr = $process.StandardError.ReadLineAsync()
        Waiting = @{}; Inbox = @{}; Unroutable = $null; Stopped = $null; EndedWith = $null
        # Stopwatch timestamps for `npm run bench`'s breakdown of a cold call: started, its first message, the last
        # envelope.
        SpawnedAt = $spawnedAt; FirstByteAt = $null; EnvelopeAt = $null
    }
    Write-Verbose -Message "Started the EntraAuth core (pid $($process.Id), $($core.Kind), exits after $idleSec s without a request)."
    $script:EntraAuthCoreSession
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

function Start-EntraAuthCoreEarly {
    # At the start of a call that the session cache cannot answer yet (it is empty, or -Force): the core starts now and
    # boots while PowerShell reads the parameters and builds the request. A problem is left for the request to report,
    # in its order (bad input first).
    if ($null -ne $script:EntraAuthCoreSession) { return }
    try { $null = Start-EntraAuthCore }
    catch { Write-Debug -Message "The EntraAuth core was not started early: $($_.Exception.Message)" }
}
