# The cold call's rehearsal: while the first call of a process waits on PowerShell's own first runs (each construct and
# member use is JIT-compiled the first time, docs/benchmarks.md), a runspace of its own imports this module and runs
# the steps after the core's answer on a made-up token, so the JIT has compiled them, for the whole process, by the
# time the real answer comes. It has no secret, starts no core, reads no file but this module's and sends nothing;
# nothing it does is seen (its runspace's streams are never shown), and it is disposed when it is done.

# The process-wide mark that a rehearsal has started: the JIT's work is shared by every runspace, so one is enough.
$script:EntraAuthRehearsalMark = 'EntraAuth.ColdCallRehearsal'
$script:EntraAuthRehearsal = $null

# What the rehearsal runs, in the order the real call first needs it: the request line, the redacting views, the
# answer's JSON, the token object, the cache entry and memo, the header and the renewing globals (in its runspace). Its
# last output says that every step ran; the first error ends it.
$script:EntraAuthRehearsalScript = {
    param([string] $ModuleScript)
    $ErrorActionPreference = 'Stop'
    $module = Import-Module -Name $ModuleScript -PassThru
    & $module {
        $tenantId = '00000000-0000-0000-0000-000000000001'
        $clientId = '00000000-0000-0000-0000-000000000002'
        $parameters = @{ TenantId = $tenantId; ClientId = $clientId; ClientSecret = 'rehearsal (not a secret)' }
        $request = @{
            flow = 'clientSecret'; tenantId = $tenantId; clientId = $clientId; clientSecret = $parameters.ClientSecret
            timeoutSec = 60; logLevel = 'info'
        }
        $null = ConvertTo-EntraAuthRequestLine -Id 1 -Request $request
        Import-EntraAuthFormatData
        $authority = "https://login.microsoftonline.com/$tenantId"
        $line = @"
{"id":1,"envelope":{"ok":true,
"token":{"tokenType":"Bearer","accessToken":"rehearsal","expiresOn":"2030-01-01T00:00:00.000Z","expiresIn":3600,
"claims":{"aud":"https://graph.microsoft.com","tid":"$tenantId","appid":"$clientId","roles":["User.Read.All"]}},
"target":{"authorityHost":"https://login.microsoftonline.com","authority":"$authority","tenantId":"$tenantId",
"clientId":"$clientId","scopes":["https://graph.microsoft.com/.default"]}}}
"@
        $envelope = (ConvertFrom-Json -InputObject $line).envelope
        $savedCall = New-EntraAuthSavedCall -SetName 'ClientSecret' -Parameters $parameters -SessionState (
            $ExecutionContext.SessionState)
        $savedCall.Target = $envelope.target
        $token = ConvertTo-EntraAuthTokenObject -Token $envelope.token -TenantId $tenantId -ClientId $clientId
        Complete-EntraAuthCacheKey -SavedCall $savedCall
        $entry = Save-EntraAuthCacheEntry -SavedCall $savedCall -Token $token
        Save-EntraAuthCallMemo -SetName 'ClientSecret' -Bound $parameters -Entry $entry
        $header = Copy-EntraAuthHeader -Entry $entry
        $global:MicrosoftEntraIDAccessToken = $entry.Value
        $global:MicrosoftEntraIDHeader = $header
        Register-EntraAuthRenewingGlobals -Entry $entry -Header $header
        Unregister-EntraAuthRenewingGlobals
        [pscustomobject]@{ Rehearsed = $true; CoreStarted = $null -ne $script:EntraAuthCoreSession }
    }
}

function Test-EntraAuthRehearsalUseful {
    # With one processor the rehearsal would take its time from the call it is for.
    [System.Environment]::ProcessorCount -ge 2
}

function Start-EntraAuthRehearsal {
    # Once per process, at a cold call: the rehearsal starts in the background (PowerShell opens its runspace on
    # another thread). Anything that keeps it from starting (a constrained language session) only costs the call its
    # head start.
    try {
        $domain = [System.AppDomain]::CurrentDomain
        $started = $null -ne $domain.GetData($script:EntraAuthRehearsalMark)
        if ($started -or -not (Test-EntraAuthRehearsalUseful)) { return }
        $domain.SetData($script:EntraAuthRehearsalMark, $true)
        $shell = [powershell]::Create()
        $moduleScript = [System.IO.Path]::Combine($script:EntraAuthModuleRoot, 'EntraAuth.psm1')
        [void]$shell.AddScript($script:EntraAuthRehearsalScript.ToString()).AddArgument($moduleScript)
        $script:EntraAuthRehearsal = @{ Shell = $shell; Handle = $shell.BeginInvoke() }
    }
    catch { Write-Debug -Message "EntraAuth's cold call rehearsal did not start: $($_.Exception.Message)" }
}

function Complete-EntraAuthRehearsal {
    # Disposes a rehearsal that is done, with its runspace; one still running is left for a later call, or stopped
    # with -Stop (the module is being removed).
    param([switch] $Stop)
    $rehearsal = $script:EntraAuthRehearsal
    if ($null -eq $rehearsal -or -not ($Stop -or $rehearsal.Handle.IsCompleted)) { return }
    $script:EntraAuthRehearsal = $null
    try {
        if (-not $rehearsal.Handle.IsCompleted) { $rehearsal.Shell.Stop() }
        $rehearsal.Shell.Dispose()
    }
    catch { Write-Debug -Message "EntraAuth's cold call rehearsal: $($_.Exception.Message)" }
}
