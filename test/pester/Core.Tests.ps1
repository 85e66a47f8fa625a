# How the module finds its core: the executable for this platform, else node 20+ with the bundle, else a clear error.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $script:savedPath = $env:PATH
    $script:savedCore = $env:ENTRAAUTH_CORE
    $script:realRoot = InModuleScope EntraAuth { $script:EntraAuthModuleRoot }
    $script:platform = InModuleScope EntraAuth { Get-EntraAuthCorePlatform }
    $script:exeName = "entraauth-$platform"
    if ($platform -like 'win-*') { $script:exeName += '.exe' }
    # node by path from the runner (the packaged run has none on PATH), else from PATH.
    $script:nodePath = $env:ENTRAAUTH_TEST_NODE
    if (-not $nodePath) { $script:nodePath = (Get-Command node -CommandType Application).Source }

    function New-FakeModuleRoot {
        # A module root whose bin/ holds what the test asks for: the bundle, an executable, both or neither.
        param([switch] $Bundle, [switch] $Executable)
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path (Join-Path $folder 'bin') -Force | Out-Null
        if ($Bundle) { Copy-Item -LiteralPath (Join-Path $script:realRoot 'bin/entraauth.mjs') -Destination (Join-Path $folder 'bin') }
        if ($Executable) { Set-Content -LiteralPath (Join-Path $folder "bin/$script:exeName") -Value '#!/bin/sh' }
        $folder
    }

    function New-PathFolder {
        # A PATH folder with only the given commands: 'node' is the real node; 'old-node' is a node that says v18.
        param([string[]] $With = @())
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $folder | Out-Null
        if ($With -contains 'node') { New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'node') -Target $script:nodePath | Out-Null }
        if ($With -contains 'old-node') {
            Set-Content -LiteralPath (Join-Path $folder 'node') -Value "#!/bin/sh`necho v18.20.4"
            & chmod +x (Join-Path $folder 'node')
        }
        $folder
    }

    function Invoke-Resolve {
        # Resolves the core as the module would with the given module root, PATH and ENTRAAUTH_CORE.
        param([string] $ModuleRoot, [string] $PathFolder, [string] $Core)
        $env:PATH = $PathFolder
        $env:ENTRAAUTH_CORE = $Core
        InModuleScope EntraAuth -Parameters @{ ModuleRoot = $ModuleRoot } {
            param($ModuleRoot)
            $script:EntraAuthModuleRoot = $ModuleRoot
            $script:EntraAuthCoreCommand = $null
            Resolve-EntraAuthCore
        }
    }
}

AfterAll { Remove-Module EntraAuth -ErrorAction SilentlyContinue }

Describe 'The core' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache }   # each test asks Entra, not the session cache
    AfterEach {
        $env:PATH = $script:savedPath
        $env:ENTRAAUTH_CORE = $script:savedCore
        InModuleScope EntraAuth -Parameters @{ Root = $script:realRoot } {
            param($Root)
            $script:EntraAuthModuleRoot = $Root
            $script:EntraAuthCoreCommand = $null
        }
    }

    Describe 'Choosing the core' {
        It 'names this machine''s target as the executables are named' {
            $platform | Should -Match '^(win|linux|osx)-(x64|arm64|x86|arm)$'
            if ($IsLinux -and (& uname -m) -eq 'x86_64') { $platform | Should -Be 'linux-x64' }
        }

        It 'prefers the executable for this platform when there is one' {
            $root = New-FakeModuleRoot -Bundle -Executable
            $core = Invoke-Resolve -ModuleRoot $root -PathFolder (New-PathFolder -With node)
            $core.Kind | Should -Be 'executable'
            $core.FileName | Should -Be (Join-Path $root "bin/$exeName")
            $core.Arguments | Should -BeNullOrEmpty
        }

        It 'gives an executable back the execute bit that an unzip dropped' -Skip:(-not $IsLinux) {
            $root = New-FakeModuleRoot -Executable
            $file = Join-Path $root "bin/$exeName"
            & chmod 644 $file
            (Get-Item $file).UnixFileMode.HasFlag([System.IO.UnixFileMode]::UserExecute) | Should -BeFalse
            (Invoke-Resolve -ModuleRoot $root -PathFolder (New-PathFolder)).Kind | Should -Be 'executable'
            (Get-Item $file).UnixFileMode.HasFlag([System.IO.UnixFileMode]::UserExecute) | Should -BeTrue
        }

        It 'falls back to node 20+ with the bundle when there is no executable' {
            $root = New-FakeModuleRoot -Bundle
            $core = Invoke-Resolve -ModuleRoot $root -PathFolder (New-PathFolder -With node)
            $core.Kind | Should -Be 'node'
            $core.Arguments | Should -BeLike "*$(Join-Path $root 'bin/entraauth.mjs')*"
        }

        It 'ENTRAAUTH_CORE=node takes node even when an executable is there' {
            $core = Invoke-Resolve -ModuleRoot (New-FakeModuleRoot -Bundle -Executable) -PathFolder (New-PathFolder -With node) -Core 'node'
            $core.Kind | Should -Be 'node'
        }

        It 'ENTRAAUTH_CORE=executable takes the executable even when node is there' {
            $core = Invoke-Resolve -ModuleRoot (New-FakeModuleRoot -Bundle -Executable) -PathFolder (New-PathFolder -With node) -Core 'Executable'
            $core.Kind | Should -Be 'executable'
        }
    }

    Describe 'When no core can run' {
        It 'with neither, one ResourceUnavailable error names both the executable and Node.js' {
            $root = New-FakeModuleRoot -Bundle
            $record = $null
            try { Invoke-Resolve -ModuleRoot $root -PathFolder (New-PathFolder) } catch { $record = $_ }
            $record.FullyQualifiedErrorId | Should -BeLike 'EntraAuth.ERR_CORE_UNAVAILABLE*'
            $record.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $record.Exception.Message | Should -Match "no usable single executable for $platform"
            $record.Exception.Message | Should -Match 'Node\.js was not found on PATH'
            $record.Exception.Message | Should -Match 'Fix: Install the packaged module .* or install Node\.js 20'
        }

        It 'ENTRAAUTH_CORE=executable without an executable says so, and does not fall back to node' {
            $record = $null
            try { Invoke-Resolve -ModuleRoot (New-FakeModuleRoot -Bundle) -PathFolder (New-PathFolder -With node) -Core 'executable' } catch { $record = $_ }
            $record.FullyQualifiedErrorId | Should -BeLike 'EntraAuth.ERR_CORE_UNAVAILABLE*'
            $record.Exception.Message | Should -Match "ENTRAAUTH_CORE is 'executable', but there is no usable single executable for $platform"
        }

        It 'ENTRAAUTH_CORE=node without node says so, and does not fall back to the executable' {
            $record = $null
            try { Invoke-Resolve -ModuleRoot (New-FakeModuleRoot -Bundle -Executable) -PathFolder (New-PathFolder) -Core 'node' } catch { $record = $_ }
            $record.Exception.Message | Should -Match "ENTRAAUTH_CORE is 'node', but Node\.js was not found on PATH"
        }

        It 'a node older than 20 is refused with its version' -Skip:($IsWindows) {
            $record = $null
            try { Invoke-Resolve -ModuleRoot (New-FakeModuleRoot -Bundle) -PathFolder (New-PathFolder -With old-node) } catch { $record = $_ }
            $record.Exception.Message | Should -Match "version 'v18\.20\.4', older than 20"
        }

        It 'a missing bundle is named' {
            $record = $null
            try { Invoke-Resolve -ModuleRoot (New-FakeModuleRoot) -PathFolder (New-PathFolder -With node) -Core 'node' } catch { $record = $_ }
            $record.Exception.Message | Should -Match 'entraauth\.mjs is missing'
        }

        It 'an unknown ENTRAAUTH_CORE value is refused, naming the allowed ones' {
            $record = $null
            try { Invoke-Resolve -ModuleRoot (New-FakeModuleRoot -Bundle -Executable) -PathFolder (New-PathFolder -With node) -Core 'python' } catch { $record = $_ }
            $record.Exception.Message | Should -Match "ENTRAAUTH_CORE is 'python'.*'executable' or 'node'"
        }

        It 'the cmdlets stop with that error, id EntraAuth.ERR_CORE_UNAVAILABLE' {
            $app = Get-TestApp -Name 'automation'
            $root = New-FakeModuleRoot
            InModuleScope EntraAuth -Parameters @{ Root = $root } { param($Root) $script:EntraAuthModuleRoot = $Root; $script:EntraAuthCoreCommand = $null }
            $env:PATH = New-PathFolder
            $env:ENTRAAUTH_CORE = $null
            $record = $null
            try { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $app.Secrets[1].value } catch { $record = $_ }
            $record.FullyQualifiedErrorId | Should -Be 'EntraAuth.ERR_CORE_UNAVAILABLE,Build-MicrosoftEntraIDApplicationAccessHeader'
            $record.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        }

        It 'ENTRAAUTH_CORE is read in CoreLocation.ps1 only' {
            # Each script of the source tree, or each region of the packaged module's one script; not a source
            # checkout's joined copy of the scripts (module/bin, build output).
            $files = Get-ChildItem -Path $realRoot -Recurse -Include '*.ps1', '*.psm1' |
                Where-Object { $_.FullName.Substring($realRoot.Length) -notmatch '[\\/]bin[\\/]' }
            $scripts = foreach ($file in $files) {
                $text = Get-Content -Raw -LiteralPath $file.FullName
                $regions = [regex]::Matches($text, '(?ms)^# region (\S+)\r?\n(.*?)^# endregion')
                if ($regions.Count -eq 0) { [pscustomobject]@{ Name = $file.Name; Text = $text } }
                foreach ($region in $regions) { [pscustomobject]@{ Name = Split-Path $region.Groups[1].Value -Leaf; Text = $region.Groups[2].Value } }
            }
            @($scripts | Where-Object { $_.Text -match 'ENTRAAUTH_CORE\b' } | ForEach-Object Name) | Should -Be @('CoreLocation.ps1')
        }
    }
}

Describe 'The packaged run (npm run test:packaged)' -Skip:(-not $env:ENTRAAUTH_TEST_PACKAGED) {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache }   # each test asks Entra, not the session cache
    It 'has no node on PATH, and the packaged module gets a token through the linux-x64 executable' -Skip:(-not $IsLinux) {
        Get-Command node -CommandType Application -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $module = Get-Module EntraAuth
        Test-Path (Join-Path $module.ModuleBase 'module/bin/entraauth-linux-x64') | Should -BeTrue
        $app = Get-TestApp -Name 'automation'
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $app.Secrets[1].value 6>$null
        (Test-EmulatorToken -Authorization $header.Authorization).appId | Should -Be $app.ClientId
        $core = InModuleScope EntraAuth { Resolve-EntraAuthCore }
        $core.Kind | Should -Be 'executable'
        $core.FileName | Should -Be (Join-Path $module.ModuleBase 'module/bin/entraauth-linux-x64')
    }
}
