# The session-resident core: one per module instance, replaced when it died, gone with the module and with pwsh.

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
        # Reaped already: the next call sees it ended; not yet: writing to it fails. Either way a new one, and why.
        ($verbose -match "^(Replacing the EntraAuth core \(pid $old\): it had ended \(exit code 137\)|The EntraAuth core \(pid $old\) could not be reached)") | Should -Not -BeNullOrEmpty
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
