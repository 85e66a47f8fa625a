# Finds how to run the core: the one place that decides between the single executable and node with the bundle.

$script:EntraAuthCoreCommand = $null

function Get-EntraAuthCorePlatform {
    <#
    .SYNOPSIS
        Returns the executable target of this machine ('win-x64', 'win-arm64', 'linux-x64', 'linux-arm64', or e.g.
        'osx-arm64', which has none).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $runtime = 'System.Runtime.InteropServices.RuntimeInformation' -as [type]
    if ($null -ne $runtime) {
        $os = 'other'
        foreach ($name in 'Windows', 'Linux', 'OSX') {
            $platform = [System.Runtime.InteropServices.OSPlatform]::$name
            if ($runtime::IsOSPlatform($platform)) { $os = $name.ToLowerInvariant() }
        }
        if ($os -eq 'windows') { $os = 'win' }
        return '{0}-{1}' -f $os, $runtime::OSArchitecture.ToString().ToLowerInvariant()
    }
    # .NET Framework before 4.7.1 has no RuntimeInformation: that is Windows PowerShell 5.1 on Windows.
    $architecture = $env:PROCESSOR_ARCHITEW6432
    if (-not $architecture) { $architecture = $env:PROCESSOR_ARCHITECTURE }
    switch ($architecture) {
        'AMD64' { return 'win-x64' }
        'ARM64' { return 'win-arm64' }
        default { return "win-$architecture".ToLowerInvariant() }
    }
}

function Test-EntraAuthExecutableFile {
    # True when the file can be started. On Linux and macOS a package expanded without modes (Expand-Archive,
    # Install-Module) drops the execute bit: give it back where the current user may.
    param([Parameter(Mandatory)] [string] $Path)
    # .NET, not Test-Path: the file system provider's first use costs a cold call about 90 ms.
    if (-not [System.IO.File]::Exists($Path)) { return $false }
    # UnixFileMode exists from .NET 7 (pwsh 7.3) on; Windows and older runtimes skip this.
    $modeType = 'System.IO.UnixFileMode' -as [type]
    if ($null -eq $modeType -or [System.IO.Path]::DirectorySeparatorChar -eq '\') { return $true }
    $mode = [System.IO.File]::GetUnixFileMode($Path)
    if (($mode -band $modeType::UserExecute) -ne 0) { return $true }
    try {
        $executeBits = $modeType::UserExecute -bor $modeType::GroupExecute -bor $modeType::OtherExecute
        [System.IO.File]::SetUnixFileMode($Path, ($mode -bor $executeBits))
        Write-Verbose -Message "Made $Path executable (its package did not keep the mode)."
        return $true
    }
    catch {
        Write-Verbose -Message "$Path is not executable and its mode cannot be changed: $($_.Exception.Message)"
        return $false
    }
}

function Get-EntraAuthNodeVersion {
    # What `node --version` prints, or why it printed nothing useful. Run as a process with stdout and stderr redirected,
    # not as `& node`: Windows PowerShell 5.1 turns a native command's stderr line (a warning) into an error record,
    # which throws under a caller's $ErrorActionPreference = 'Stop'. Stdin is not redirected (nothing to write, and
    # .NET Framework writes an encoding preamble into a redirected stdin).
    param([Parameter(Mandatory)] [string] $Path, [int] $TimeoutMilliseconds = 10000)
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new()
    $startInfo.FileName = $Path
    $startInfo.Arguments = '--version'
    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $process = $null
    try {
        $process = [System.Diagnostics.Process]::Start($startInfo)
        # Both streams read at once: a full stderr pipe cannot block the process.
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutMilliseconds)) {
            # It may end between the wait and the kill: nothing more to do then.
            try { $process.Kill() } catch { $null = $_ }
            $problem = "'$Path --version' gave no answer within $($TimeoutMilliseconds / 1000) s"
            return [pscustomobject]@{ Text = $null; Problem = $problem }
        }
        # What node wrote to stderr (a warning) is not needed: only its version line and exit code count.
        [void]$stdout.Wait(1000)
        [void]$stderr.Wait(1000)
        $first = ([string]$stdout.Result -split "`r?`n" | Where-Object { $_ -ne '' } | Select-Object -First 1)
        if ($process.ExitCode -ne 0) {
            $problem = "'$Path --version' failed (exit code $($process.ExitCode))"
            return [pscustomobject]@{ Text = $first; Problem = $problem }
        }
        [pscustomobject]@{ Text = $first; Problem = $null }
    }
    catch {
        [pscustomobject]@{ Text = $null; Problem = "'$Path --version' could not be run ($($_.Exception.Message))" }
    }
    finally { if ($null -ne $process) { $process.Dispose() } }
}

function Get-EntraAuthNodeCommand {
    # node on PATH when it is version 20 or later, else a reason why not.
    $node = Get-Command -Name 'node' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $node) { return [pscustomobject]@{ Path = $null; Problem = 'Node.js was not found on PATH' } }
    $probe = Get-EntraAuthNodeVersion -Path $node.Source
    if ($null -ne $probe.Problem) {
        $problem = "Node.js at $($node.Source) did not say its version: $($probe.Problem)"
        return [pscustomobject]@{ Path = $null; Problem = $problem }
    }
    $versionText = $probe.Text
    $version = $null
    if (-not [version]::TryParse(([string]$versionText).TrimStart('v'), [ref]$version) -or $version.Major -lt 20) {
        $problem = "Node.js at $($node.Source) is version '$versionText', older than 20"
        return [pscustomobject]@{ Path = $null; Problem = $problem }
    }
    [pscustomobject]@{ Path = $node.Source; Problem = $null }
}

function Resolve-EntraAuthCore {
    <#
    .SYNOPSIS
        Returns the program and arguments that start the EntraAuth core, or throws ResourceUnavailable.
    .DESCRIPTION
        In order: the single executable for this OS and architecture in bin/, else node 20+ on PATH with
        bin/entraauth.mjs. ENTRAAUTH_CORE=executable or ENTRAAUTH_CORE=node allows only that one; this is the
        only place that reads it. The answer is kept for the session (per ENTRAAUTH_CORE value).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param()

    $mode = ([string]$env:ENTRAAUTH_CORE).Trim().ToLowerInvariant()
    if ($mode -eq '') { $mode = 'auto' }
    if ($mode -notin 'auto', 'executable', 'node') {
        $message = "ENTRAAUTH_CORE is '$env:ENTRAAUTH_CORE', which is not a way to run the EntraAuth core."
        $hint = "Set ENTRAAUTH_CORE to 'executable' or 'node', or remove it to let EntraAuth choose."
        throw (New-EntraAuthErrorRecord -Code 'ERR_CORE_UNAVAILABLE' -Message $message -Hint $hint)
    }
    $known = $script:EntraAuthCoreCommand
    if ($null -ne $known -and $known.Mode -eq $mode) { return $known }

    $bin = [System.IO.Path]::Combine($script:EntraAuthModuleRoot, 'bin')
    $platform = Get-EntraAuthCorePlatform
    $suffix = ''
    if ($platform -like 'win-*') { $suffix = '.exe' }
    $executable = [System.IO.Path]::Combine($bin, "entraauth-$platform$suffix")
    $bundle = [System.IO.Path]::Combine($bin, 'entraauth.mjs')

    $executableProblem = $null
    if ($mode -ne 'node') {
        if (Test-EntraAuthExecutableFile -Path $executable) {
            $script:EntraAuthCoreCommand = [pscustomobject]@{
                Mode = $mode; Kind = 'executable'; FileName = $executable; Arguments = ''
            }
            return $script:EntraAuthCoreCommand
        }
        $executableProblem = "there is no usable single executable for $platform ($executable)"
        if ($mode -eq 'executable') {
            $message = "ENTRAAUTH_CORE is 'executable', but $executableProblem."
            $hint = 'Install the packaged module (the release zip or the PowerShell Gallery), which has executables ' +
                'for win-x64, win-arm64, linux-x64 and linux-arm64; on Linux also check that the file is executable ' +
                '(chmod +x). Or remove ENTRAAUTH_CORE to allow Node.js 20+.'
            throw (New-EntraAuthErrorRecord -Code 'ERR_CORE_UNAVAILABLE' -Message $message -Hint $hint)
        }
    }

    $nodeProblem = $null
    if (-not [System.IO.File]::Exists($bundle)) { $nodeProblem = "the bundled core $bundle is missing" }
    else {
        $node = Get-EntraAuthNodeCommand
        $nodeProblem = $node.Problem
    }
    if ($null -eq $nodeProblem) {
        $script:EntraAuthCoreCommand = [pscustomobject]@{
            Mode = $mode; Kind = 'node'; FileName = $node.Path; Arguments = '--no-warnings "' + $bundle + '"'
        }
        return $script:EntraAuthCoreCommand
    }
    if ($mode -eq 'node') {
        $message = "ENTRAAUTH_CORE is 'node', but $nodeProblem; the EntraAuth core needs Node.js 20 or later."
        $hint = 'Install Node.js 20 LTS or later (https://nodejs.org) and open a new session, build the core with ' +
            '"npm run build" in a source checkout, or remove ENTRAAUTH_CORE to allow the single executable.'
        throw (New-EntraAuthErrorRecord -Code 'ERR_CORE_UNAVAILABLE' -Message $message -Hint $hint)
    }
    $message = "The EntraAuth core cannot run here: $executableProblem, and $nodeProblem (Node.js 20 or later with " +
        "bin/entraauth.mjs is the other way to run it)."
    $hint = 'Install the packaged module (the release zip or the PowerShell Gallery), which has executables for ' +
        'win-x64, win-arm64, linux-x64 and linux-arm64, or install Node.js 20 LTS or later (https://nodejs.org) and ' +
        'open a new session.'
    throw (New-EntraAuthErrorRecord -Code 'ERR_CORE_UNAVAILABLE' -Message $message -Hint $hint)
}
