# The cold call's rehearsal (module/private/warmup/Rehearsal.ps1): every step runs on the module's own functions
# without an error, it starts no core, it starts once per process at the first call the cache cannot answer, not with
# one processor, and it is disposed with its runspace, also when the module is removed while it runs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $modulePath = Join-Path $PSScriptRoot '../../EntraAuth.psd1'
    Import-Module $modulePath -Force
    $app = Get-TestApp -Name 'automation'
    $secret = $app.Secrets[0].value
    $mark = & (Get-Module EntraAuth) { $script:EntraAuthRehearsalMark }
    function Get-Rehearsal { & (Get-Module EntraAuth) { $script:EntraAuthRehearsal } }
    function Get-RunspaceCount { @(Get-Runspace).Count }
}

AfterAll { Remove-Module EntraAuth -ErrorAction SilentlyContinue }

Describe 'The cold call rehearsal' {
    BeforeEach { [System.AppDomain]::CurrentDomain.SetData($mark, $null) }
    AfterEach { & (Get-Module EntraAuth) { Complete-EntraAuthRehearsal -Stop } }

    It 'runs every step on the module''s functions without an error, starts no core and is disposed when done' {
        $runspaces = Get-RunspaceCount
        & (Get-Module EntraAuth) { Start-EntraAuthRehearsal }
        $rehearsal = Get-Rehearsal
        $rehearsal | Should -Not -BeNullOrEmpty
        $rehearsal.Handle.AsyncWaitHandle.WaitOne(30000) | Should -BeTrue
        $output = $rehearsal.Shell.EndInvoke($rehearsal.Handle)
        @($rehearsal.Shell.Streams.Error | ForEach-Object { $_.ToString() }) | Should -BeNullOrEmpty
        $output.Rehearsed | Should -BeTrue
        $output.CoreStarted | Should -BeFalse
        Get-RunspaceCount | Should -Be ($runspaces + 1)
        & (Get-Module EntraAuth) { Complete-EntraAuthRehearsal }
        Get-Rehearsal | Should -BeNullOrEmpty
        Get-RunspaceCount | Should -Be $runspaces
    }

    It 'starts once per process, at the first call the session cache cannot answer' {
        Import-Module $modulePath -Force
        $call = @{ TenantId = $app.TenantId; ClientId = $app.ClientId; ClientSecret = $secret }
        $null = Get-MicrosoftEntraIDApplicationAccessToken @call 6>$null
        [System.AppDomain]::CurrentDomain.GetData($mark) | Should -BeTrue
        # A new module instance in the same process: its cold call starts its core, not another rehearsal (the JIT's
        # work is already done).
        Import-Module $modulePath -Force
        & (Get-Module EntraAuth) { Start-EntraAuthCoreEarly; $script:EntraAuthCoreSession } | Should -Not -BeNullOrEmpty
        Get-Rehearsal | Should -BeNullOrEmpty
    }

    It 'does not start with one processor' {
        Mock -ModuleName EntraAuth Test-EntraAuthRehearsalUseful { $false }
        & (Get-Module EntraAuth) { Start-EntraAuthRehearsal }
        Get-Rehearsal | Should -BeNullOrEmpty
        [System.AppDomain]::CurrentDomain.GetData($mark) | Should -BeNullOrEmpty
    }

    It 'is stopped and disposed with its runspace when the module is removed while it runs' {
        $runspaces = Get-RunspaceCount
        & (Get-Module EntraAuth) { Start-EntraAuthRehearsal }
        $shell = (Get-Rehearsal).Shell
        Remove-Module EntraAuth
        $shell.InvocationStateInfo.State | Should -BeIn @('Stopped', 'Completed')
        Get-RunspaceCount | Should -Be $runspaces
        Import-Module $modulePath -Force
    }
}
