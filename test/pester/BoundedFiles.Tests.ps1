# Finding 7 (issue 12): certificate files PowerShell opens are bounded like the core's: regular files only, at most 1 MiB.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $app = Get-TestApp -Name 'certificate-app'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-bounded-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $work | Out-Null

    $fifo = Join-Path $work 'fifo.pfx'
    & mkfifo $fifo
    $sparse = Join-Path $work 'sparse.pfx'
    $stream = [System.IO.File]::Create($sparse)
    $stream.WriteByte(0x30)
    $stream.SetLength(1GB)
    $stream.Dispose()
    $grown = Join-Path $work 'two-mib.pfx'
    [System.IO.File]::WriteAllBytes($grown, [byte[]](@(0x30) * (2MB)))
    $zeroLink = Join-Path $work 'zero-link.pem'
    New-Item -ItemType SymbolicLink -Path $zeroLink -Target '/dev/zero' | Out-Null

    function Invoke-Bounded {
        # The call's error record, how long it took, and how much the peak working set of pwsh grew.
        param([string] $Path)
        $process = [System.Diagnostics.Process]::GetCurrentProcess()
        $process.Refresh()
        $peakBefore = $process.PeakWorkingSet64
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $record = $null
        try { Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -CertificatePath $Path -TimeoutSec 10 -Force | Out-Null }
        catch { $record = $_ }
        $watch.Stop()
        $process.Refresh()
        [pscustomobject]@{ Record = $record; Ms = $watch.ElapsedMilliseconds; PeakGrowth = $process.PeakWorkingSet64 - $peakBefore }
    }
    # The first call loads the module's code paths; the bounds below are for the file checks.
    [void](Invoke-Bounded -Path $grown)
}

AfterAll {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}

Describe 'finding 7: certificate files opened by PowerShell are bounded' {
    BeforeEach { Reset-Emulator }

    It 'finding 7: <name> gets a clear error fast, and no token request' -ForEach @(
        @{ name = 'a 1 GB sparse file that starts like a PFX'; file = 'sparse'; message = '*could not be read: it is larger than 1 MiB*' }
        @{ name = 'a 2 MiB file that starts like a PFX'; file = 'grown'; message = '*could not be read: it is larger than 1 MiB*' }
        @{ name = 'a symlink to /dev/zero'; file = 'zeroLink'; message = '*could not be read: it is a character device, not a regular file*' }
        @{ name = '/dev/zero itself'; file = 'devZero'; message = '*could not be read: it is a character device, not a regular file*' }
        @{ name = 'a FIFO'; file = 'fifo'; message = "*could not be read: it is empty, or not a regular file (a FIFO or a device)*" }
    ) {
        $path = @{ fifo = $fifo; sparse = $sparse; grown = $grown; zeroLink = $zeroLink; devZero = '/dev/zero' }[$file]
        $run = Invoke-Bounded -Path $path
        $run.Record | Should -Not -BeNullOrEmpty -Because 'the call must fail'
        $run.Record.FullyQualifiedErrorId | Should -BeLike 'EntraAuth.ERR_INVALID_REQUEST*'
        $run.Record.Exception.Message | Should -BeLike $message
        $run.Record.Exception.Message | Should -BeLike '*Fix: *1 MiB*'
        $run.Ms | Should -BeLessThan 3000
        $run.PeakGrowth | Should -BeLessThan 64MB
        @(Get-EmulatorTokenRequests) | Should -HaveCount 0
    }
}
