# The session-resident core: one per module instance, replaced when it died, gone with the module, with pwsh, with
# its runspace and after its idle limit; its protocol as the module speaks it (the writer, the dispatcher).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $modulePath = Join-Path $PSScriptRoot '../../EntraAuth.psd1'
    Import-Module $modulePath -Force
    $app = Get-TestApp -Name 'automation'
    $secret = $app.Secrets[0].value
    $pwsh = (Get-Command -Name pwsh -CommandType Application | Select-Object -First 1).Source
    function Get-CorePid { & (Get-Module EntraAuth) { if ($script:EntraAuthCoreSession) { $script:EntraAuthCoreSession.Process.Id } } }
    function Get-FreshToken { Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -Force @args 6>$null }
    function Wait-ProcessGone {
        # True when /proc/<pid> is gone within the time (or is a zombie nobody reaped).
        param([int] $ProcessId, [int] $WithinMs = 3000)
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        while ($watch.ElapsedMilliseconds -lt $WithinMs) {
            if (-not (Test-Path "/proc/$ProcessId")) { return $true }
            $state = (Get-Content "/proc/$ProcessId/status" -ErrorAction SilentlyContinue | Where-Object { $_ -like 'State:*' })
            if ($state -match 'Z \(zombie\)') { return $true }
            Start-Sleep -Milliseconds 50
        }
        $false
    }
    function Test-ProcessRunning {
        param([int] $ProcessId)
        -not (Wait-ProcessGone -ProcessId $ProcessId -WithinMs 0)
    }
    function Start-ChildPwsh {
        # A pwsh that imports the module, gets a token, prints its core's pid, then runs $Then.
        param([string] $Then)
        $script = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-resident-" + [guid]::NewGuid() + '.ps1')
        Set-Content -LiteralPath $script -Value @"
Import-Module '$modulePath'
`$null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId '$($app.TenantId)' -ClientId '$($app.ClientId)' -ClientSecret ([System.IO.File]::ReadAllText('$script.secret')) 6>`$null
[Console]::Out.WriteLine("`$PID " + (& (Get-Module EntraAuth) { `$script:EntraAuthCoreSession.Process.Id }))
[Console]::Out.Flush()
$Then
"@
        [System.IO.File]::WriteAllText("$script.secret", $secret)
        $startInfo = [System.Diagnostics.ProcessStartInfo]::new($pwsh, "-NoProfile -NonInteractive -File `"$script`"")
        $startInfo.UseShellExecute = $false
        $startInfo.RedirectStandardOutput = $true
        $child = [System.Diagnostics.Process]::Start($startInfo)
        # The pwsh on PATH may be a launcher (a dotnet tool's) with pwsh itself as its child: both pids are printed.
        $line = $child.StandardOutput.ReadLine()
        Remove-Item -LiteralPath $script, "$script.secret" -ErrorAction SilentlyContinue
        $pwshPid, $corePid = [int[]]($line -split ' ')
        [pscustomobject]@{ Process = $child; PwshPid = $pwshPid; CorePid = $corePid }
    }
}

AfterAll { Remove-Module EntraAuth -ErrorAction SilentlyContinue }

Describe 'One core per session' {
    It 'answers every call of the session from the same core process, started with --serve' {
        $first = Get-FreshToken
        $corePid = Get-CorePid
        $second = Get-FreshToken
        Get-CorePid | Should -Be $corePid
        [string]$first | Should -Not -Be ([string]$second)
        (Get-Content -Raw "/proc/$corePid/cmdline") -split [char]0 | Should -Contain '--serve'
    }

    It 'replaces a killed core at the next call and says why in -Verbose' {
        $null = Get-FreshToken
        $old = Get-CorePid
        Stop-Process -Id $old -Force
        Wait-ProcessGone -ProcessId $old | Should -BeTrue
        $verbose = Get-FreshToken -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        # Reaped already: the next call sees it ended; not yet: writing to it fails, or (.NET has not seen it end) the
        # write goes through and the pipe ends with no answer. Each way a new one, and why.
        ($verbose -match "^(Replacing the EntraAuth core \(pid $old\): it had ended \(exit code 137\)|The EntraAuth core \(pid $old\) (could not be reached|ended \(exit code 137\) before any answer to this request; sending it to a new one))") | Should -Not -BeNullOrEmpty
        ($verbose -match '^Started the EntraAuth core') | Should -Not -BeNullOrEmpty
        Get-CorePid | Should -Not -Be $old
        Get-CorePid | Should -Not -BeNullOrEmpty
    }

    It 'stops a core that hangs at the deadline with ERR_TIMEOUT, and the next call gets a new one' {
        $null = Get-FreshToken
        $hung = Get-CorePid
        & kill -STOP $hung
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        { Get-FreshToken -TimeoutSec 1 } | Should -Throw -ErrorId 'EntraAuth.ERR_TIMEOUT,*'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 14
        Wait-ProcessGone -ProcessId $hung | Should -BeTrue
        [string](Get-FreshToken) | Should -Match '^eyJ'
    }

    It 'starts a new core when the environment changed, as a new process per call would see it' {
        $null = Get-FreshToken
        $old = Get-CorePid
        $env:ENTRAAUTH_TEST_MARKER = [guid]::NewGuid().ToString()
        try { $null = Get-FreshToken } finally { Remove-Item Env:ENTRAAUTH_TEST_MARKER }
        Get-CorePid | Should -Not -Be $old
        Wait-ProcessGone -ProcessId $old | Should -BeTrue
    }
}

Describe 'No core outlives its module or its pwsh' {
    It 'ends the core when the module is removed' {
        Import-Module $modulePath -Force
        $null = Get-FreshToken
        $corePid = Get-CorePid
        Test-Path "/proc/$corePid" | Should -BeTrue
        Remove-Module EntraAuth
        Wait-ProcessGone -ProcessId $corePid | Should -BeTrue
        Import-Module $modulePath -Force
    }

    It 'ends the core when pwsh exits' {
        $child = Start-ChildPwsh -Then 'exit 0'
        $child.CorePid | Should -BeGreaterThan 0
        $child.Process.WaitForExit(20000) | Should -BeTrue
        Wait-ProcessGone -ProcessId $child.CorePid | Should -BeTrue
    }

    It 'ends the core when pwsh is killed with SIGKILL (its pipe closes)' {
        $child = Start-ChildPwsh -Then 'Start-Sleep -Seconds 60'
        Test-Path "/proc/$($child.CorePid)" | Should -BeTrue
        & kill -KILL $child.PwshPid
        $child.Process.WaitForExit(5000) | Should -BeTrue
        Wait-ProcessGone -ProcessId $child.CorePid | Should -BeTrue
    }
}

Describe 'Concurrent runspaces' {
    It '8 thread jobs get tokens at once, each for its own app, each runspace with its own core' {
        $apps = 1..8 | ForEach-Object { Get-TestApp -Name "parallel-$_" }
        $jobs = foreach ($parallelApp in $apps) {
            Start-ThreadJob -ArgumentList $modulePath, $parallelApp -ScriptBlock {
                param($ModulePath, $App)
                Import-Module $ModulePath
                $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $App.TenantId -ClientId $App.ClientId -ClientSecret $App.Secrets[0].value 6>$null
                [pscustomobject]@{ ClientId = $App.ClientId; Authorization = "Bearer $token"; CorePid = (& (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id }) }
            }
        }
        $results = $jobs | Wait-Job -Timeout 60 | Receive-Job
        $jobs | Remove-Job -Force
        $results.Count | Should -Be 8
        ($results.CorePid | Sort-Object -Unique).Count | Should -Be 8
        foreach ($result in $results) {
            (Test-EmulatorToken -Authorization $result.Authorization).appId | Should -Be $result.ClientId
        }
        ($results.ClientId | Sort-Object -Unique).Count | Should -Be 8
    }
}

Describe 'Cores of ended runspaces and idle cores' {
    AfterEach { Remove-Item Env:ENTRAAUTH_CORE_IDLE_SEC -ErrorAction SilentlyContinue }

    It 'finding 2: 12 ForEach-Object -Parallel runspaces that each got a token leave no core running once the idle limit has passed after they end' {
        $env:ENTRAAUTH_CORE_IDLE_SEC = '2'
        # A new runspace per item: from its pool, ForEach-Object -Parallel gives a finished runspace (its module and
        # core) to the next item, which a fast call makes likely.
        $results = 1..12 | ForEach-Object -ThrottleLimit 12 -UseNewRunspace -Parallel {
            Import-Module $using:modulePath
            $app = $using:app
            $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $using:secret -Force 6>$null
            [pscustomobject]@{ Token = [string]$token; CorePid = (& (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id }) }
        }
        $results.Count | Should -Be 12
        $results.Token | ForEach-Object { $_ | Should -Match '^eyJ' }
        ($results.CorePid | Sort-Object -Unique).Count | Should -Be 12
        $ended = [System.Diagnostics.Stopwatch]::StartNew()
        # The idle limit (2 s) and a second for the processes to go.
        $left = @($results.CorePid | Where-Object { -not (Wait-ProcessGone -ProcessId $_ -WithinMs (3000 - $ended.ElapsedMilliseconds)) })
        $left | Should -BeNullOrEmpty -Because 'no core of an ended runspace may stay'
    }

    It 'the cores of ForEach-Object -Parallel runspaces end when their runspaces close, long before the default idle limit' {
        $results = 1..4 | ForEach-Object -ThrottleLimit 4 -UseNewRunspace -Parallel {
            Import-Module $using:modulePath
            $app = $using:app
            $null = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $using:secret -Force 6>$null
            & (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id }
        }
        @($results).Count | Should -Be 4
        $left = @($results | Where-Object { -not (Wait-ProcessGone -ProcessId $_ -WithinMs 2000) })
        $left | Should -BeNullOrEmpty -Because 'PowerShell.Exiting of each closing runspace ends its core'
    }

    It 'a core with no request for ENTRAAUTH_CORE_IDLE_SEC exits by itself, and the next call starts one transparently' {
        $env:ENTRAAUTH_CORE_IDLE_SEC = '1'
        $null = Get-FreshToken
        $idle = Get-CorePid
        Wait-ProcessGone -ProcessId $idle -WithinMs 4000 | Should -BeTrue
        $verbose = Get-FreshToken -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        ($verbose -match "^(Replacing the EntraAuth core \(pid $idle\): it had ended after 1 s without a request|The EntraAuth core \(pid $idle\) (could not be reached|ended after 1 s))") | Should -Not -BeNullOrEmpty
        Get-CorePid | Should -Not -Be $idle
    }

    It 'a core never exits idle while a request runs longer than the limit' {
        $env:ENTRAAUTH_CORE_IDLE_SEC = '1'
        $null = Get-FreshToken
        $corePid = Get-CorePid
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ kind = 'delay'; ms = 2500 })
        [string](Get-FreshToken) | Should -Match '^eyJ'
        Get-CorePid | Should -Be $corePid
    }

    It 'sends a request again, to a new core, when its core ended by itself (idle) before it read the request' {
        $null = Get-FreshToken
        $old = Get-CorePid
        # What a core at its idle limit does as the request is written: it exits with code 0 and never reads it.
        Mock -ModuleName EntraAuth Send-EntraAuthCoreLine { $Session.Process.StandardInput.Close(); $Session }
        $verbose = Get-FreshToken -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        ($verbose -match "^The EntraAuth core \(pid $old\) ended after \d+ s without a request as this one was sent; sending it to a new one") | Should -Not -BeNullOrEmpty
        Get-CorePid | Should -Not -Be $old
        [string](Get-FreshToken) | Should -Match '^eyJ'
    }

    It 'refuses an ENTRAAUTH_CORE_IDLE_SEC that is not a number of seconds, before any request' {
        $env:ENTRAAUTH_CORE_IDLE_SEC = '0'
        { Get-FreshToken } | Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,*' -ExpectedMessage '*ENTRAAUTH_CORE_IDLE_SEC*1 to 86400*'
    }
}

Describe 'The dispatcher' {
    It 'finding 4: a call from an event handler while another call waits gets its token, and the outer call promptly gets its own' {
        $inner = Get-TestApp -Name 'parallel-1'
        $null = Get-FreshToken  # a running core: the outer request is on its way before the timer fires
        # The outer answer comes while the inner call (from the timer's handler, 0.3 s in) still waits for its own.
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ kind = 'delay'; ms = 1500 })
        Add-EmulatorFault -ClientId $inner.ClientId -Responses @(@{ kind = 'delay'; ms = 3000 })
        $timer = [System.Timers.Timer]::new(300)
        $timer.AutoReset = $false
        $global:EntraAuthInnerResult = $null
        $global:EntraAuthInnerStarted = $null
        $source = 'EntraAuthTest.' + [guid]::NewGuid()
        $null = Register-ObjectEvent -InputObject $timer -EventName Elapsed -SourceIdentifier $source -MessageData $inner -Action {
            $app = $Event.MessageData
            $global:EntraAuthInnerStarted = [DateTime]::UtcNow
            try { $global:EntraAuthInnerResult = [string](Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $app.Secrets[0].value -Force -TimeoutSec 5 6>$null) }
            catch { $global:EntraAuthInnerResult = "failed: $($_.FullyQualifiedErrorId) $($_.Exception.Message)" }
        }
        try {
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $timer.Start()
            $outer = Get-FreshToken -TimeoutSec 5
            $outerEnded = [DateTime]::UtcNow
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 8
        }
        finally {
            $timer.Dispose()
            Unregister-Event -SourceIdentifier $source
            Remove-Job -Name $source -Force -ErrorAction SilentlyContinue
        }
        $global:EntraAuthInnerStarted | Should -BeLessThan $outerEnded -Because 'the inner call ran while the outer one waited'
        $global:EntraAuthInnerResult | Should -Match '^eyJ' -Because 'the inner call got its own token'
        (Test-EmulatorToken -Authorization "Bearer $outer").appId | Should -Be $app.ClientId
        (Test-EmulatorToken -Authorization "Bearer $global:EntraAuthInnerResult").appId | Should -Be $inner.ClientId
        Remove-Variable -Name EntraAuthInnerResult, EntraAuthInnerStarted -Scope Global
    }

    It 'fails a call at once with ERR_PROTOCOL when the core could not read a request line, not at the deadline' {
        $null = Get-FreshToken
        & (Get-Module EntraAuth) { Send-EntraAuthCoreRequest -Session $script:EntraAuthCoreSession -Bytes ([System.Text.Encoding]::UTF8.GetBytes("not a request`n")) }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        { Get-FreshToken -TimeoutSec 20 } | Should -Throw -ErrorId 'EntraAuth.ERR_PROTOCOL,*' -ExpectedMessage '*could not read a request line*not JSON*'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        [string](Get-FreshToken) | Should -Match '^eyJ'
    }
}

Describe 'Local input that breaks JSON text' {
    It 'finding 3: -TenantId "-----BEGIN PRIVATE KEY-----" gets its error, and the same core serves the next call' {
        $null = Get-FreshToken
        $corePid = Get-CorePid
        { Get-MicrosoftEntraIDApplicationAccessToken -TenantId '-----BEGIN PRIVATE KEY-----' -ClientId $app.ClientId -ClientSecret $secret -Force -TimeoutSec 5 6>$null } |
            Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,*'
        Get-CorePid | Should -Be $corePid
        [string](Get-FreshToken) | Should -Match '^eyJ'
        Get-CorePid | Should -Be $corePid
    }
}

Describe 'The request writer' {
    It 'writes the id first and every value as its base object: decorated strings, in arrays and hashtables, and SecureStrings as text' {
        $file = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-writer-" + [guid]::NewGuid() + '.txt')
        [System.IO.File]::WriteAllText($file, 'from-a-file')
        try {
            $decorated = Get-Content -LiteralPath $file -Raw
            $decorated.psobject.Properties['PSPath'] | Should -Not -BeNullOrEmpty -Because 'Get-Content decorates what it returns'
            $request = @{
                clientSecret = $decorated
                scopes = @($decorated, 'b')
                nested = @{ item = $decorated; list = [System.Collections.Generic.List[object]]@($decorated) }
                refreshToken = ConvertTo-SecureString -String 'typed-secret' -AsPlainText -Force
                timeoutSec = 5
            }
            $module = Get-Module EntraAuth
            $wire = & $module { param($r) ConvertTo-EntraAuthWireValue -Value $r } $request
            $leaves = @($wire.clientSecret, $wire.scopes[0], $wire.nested.item, $wire.nested.list[0])
            foreach ($leaf in $leaves) {
                $leaf | Should -BeOfType [string]
                ($leaf -is [System.Management.Automation.PSObject]) | Should -BeFalse -Because 'a PSObject with notes is what 5.1 writes as {"value":...}'
            }
            # Nested values: no request field is an object today (the writer refuses fields the protocol table does not
            # list), so the nesting is checked on the JSON of the wire value itself.
            $nestedJson = ConvertTo-Json -InputObject $wire.nested -Compress -Depth 5 | ConvertFrom-Json
            $request.Remove('nested')
            $text = [System.Text.Encoding]::UTF8.GetString((& $module { param($r) ConvertTo-EntraAuthRequestLine -Id 42 -Request $r } $request))
            $text | Should -Match '^\{"id":42,'
            $text | Should -Match '\n$'
            $json = $text | ConvertFrom-Json
            $json.clientSecret | Should -BeExactly 'from-a-file'
            $json.scopes | Should -Be @('from-a-file', 'b')
            $nestedJson.item | Should -BeExactly 'from-a-file'
            $nestedJson.list | Should -Be @('from-a-file')
            $json.refreshToken | Should -BeExactly 'typed-secret'
            $json.timeoutSec | Should -Be 5
            $text | Should -Not -Match 'PSPath|"value":'
        }
        finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    }

    It 'with the .NET Framework stdin preamble (ENTRAAUTH_TEST_STDIN_PREAMBLE=1) the first call of a new core gets its token' {
        $before = $env:ENTRAAUTH_TEST_STDIN_PREAMBLE
        $env:ENTRAAUTH_TEST_STDIN_PREAMBLE = '1'
        try {
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            [string](Get-FreshToken -TimeoutSec 5) | Should -Match '^eyJ'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        }
        finally { $env:ENTRAAUTH_TEST_STDIN_PREAMBLE = $before }
    }
}
