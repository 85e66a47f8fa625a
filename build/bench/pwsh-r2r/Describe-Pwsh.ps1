# Run with -NoProfile -NonInteractive -File by build/bench/pwshR2r.mjs: shows that a pwsh runs scripts, says its
# version and $PSHOME, and imports a built-in module and a script module from a path. Prints one JSON line.
$seed = Import-Module (Join-Path $PSScriptRoot '../../../test/bench/SeedFunctions.psm1') -PassThru
$utility = Import-Module Microsoft.PowerShell.Utility -PassThru
[ordered]@{
    home       = $PSHOME
    version    = $PSVersionTable.PSVersion.ToString()
    edition    = $PSVersionTable.PSEdition
    modules    = @($utility.Name, $seed.Name)
    # Methods the JIT compiled in this process so far: far fewer where the assemblies carry ReadyToRun code.
    jitMethods = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
    jitMs      = [System.Runtime.JitInfo]::GetCompilationTime($false).TotalMilliseconds
} | ConvertTo-Json -Compress
