# The node version probe (Resolve-EntraAuthCore) against fake nodes that write to stderr, under a caller's
# $ErrorActionPreference = 'Stop': Windows PowerShell 5.1 turns a native command's stderr into an error that throws there.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-node-probe-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $folder | Out-Null

    function New-FakeNode {
        # A folder with an executable 'node' shell script whose body is given.
        param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Body)
        $bin = Join-Path $folder $Name
        New-Item -ItemType Directory -Path $bin | Out-Null
        $file = Join-Path $bin 'node'
        [System.IO.File]::WriteAllText($file, "#!/bin/sh`n$Body`n")
        chmod +x $file
        $bin
    }

    function Invoke-NodeProbe {
        # Get-EntraAuthNodeCommand with only the fake node on PATH, under the caller preferences that make 5.1 throw.
        param([Parameter(Mandatory)] [string] $Bin)
        $saved = $env:PATH
        $env:PATH = $Bin
        try {
            InModuleScope EntraAuth {
                $ErrorActionPreference = 'Stop'
                # pwsh 7.3+: a native command that exits non-zero throws under Stop with this set.
                $PSNativeCommandUseErrorActionPreference = $true
                Get-EntraAuthNodeCommand
            }
        }
        finally { $env:PATH = $saved }
    }
}

AfterAll {
    Remove-Item -Recurse -Force -LiteralPath $folder -ErrorAction SilentlyContinue
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'node --version under $ErrorActionPreference = Stop' -Skip:($IsWindows) {
    It 'a node that warns on stderr is still found' {
        $bin = New-FakeNode -Name 'warns' -Body "echo '(node:1) Warning: NODE_OPTIONS is ignored' >&2`necho v22.23.2"
        $node = Invoke-NodeProbe -Bin $bin
        $node.Problem | Should -BeNullOrEmpty
        $node.Path | Should -Be (Join-Path $bin 'node')
    }

    It 'a node that fails with stderr is refused with a reason, not an exception' {
        $bin = New-FakeNode -Name 'fails' -Body "echo 'node: bad option: --whatever' >&2`nexit 9"
        $node = Invoke-NodeProbe -Bin $bin
        $node.Path | Should -BeNullOrEmpty
        $node.Problem | Should -BeLike "Node.js at $(Join-Path $bin 'node') did not say its version: '*node --version' failed (exit code 9)"
    }

    It 'a node that hangs is given up on in bounded time' {
        $bin = New-FakeNode -Name 'hangs' -Body "sleep 30"
        $started = [DateTime]::UtcNow
        $probe = InModuleScope EntraAuth -Parameters @{ Path = (Join-Path $bin 'node') } { param($Path) Get-EntraAuthNodeVersion -Path $Path -TimeoutMilliseconds 500 }
        ([DateTime]::UtcNow - $started).TotalSeconds | Should -BeLessThan 5
        $probe.Problem | Should -BeLike "*gave no answer within 0.5 s"
    }

    It 'the probe never runs node as a native command, whose stderr 5.1 makes an error record' {
        $source = InModuleScope EntraAuth { ${function:Get-EntraAuthNodeCommand}.ToString() + ${function:Get-EntraAuthNodeVersion}.ToString() }
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($source, [ref]$null, [ref]$null)
        $native = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $node.InvocationOperator -ne 'Unknown' }, $true)
        @($native).Count | Should -Be 0
    }
}
