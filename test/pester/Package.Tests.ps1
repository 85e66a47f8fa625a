# What `npm run package` writes: the Azure Automation zip and the Gallery-ready folder in dist/.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $dist = $env:ENTRAAUTH_TEST_DIST
    if (-not $dist) { $dist = Join-Path $PSScriptRoot '../../dist' }
    $package = Get-Content -Raw (Join-Path $PSScriptRoot '../../package.json') | ConvertFrom-Json
    $zipPath = Join-Path $dist "EntraAuth-$($package.version).zip"
    $galleryPath = Join-Path $dist 'gallery/EntraAuth'
    if (-not (Test-Path $zipPath) -or -not (Test-Path $galleryPath)) { throw "$zipPath or $galleryPath is missing: run 'npm run package' first." }
    Add-Type -AssemblyName System.IO.Compression.FileSystem
}

Describe 'The Azure Automation zip' {
    BeforeAll {
        $archive = [System.IO.Compression.ZipFile]::OpenRead($zipPath)
        $entries = @($archive.Entries | ForEach-Object FullName)
        $archive.Dispose()
    }

    AfterAll { Remove-Module EntraAuth -ErrorAction SilentlyContinue }

    It 'holds one folder EntraAuth/ with the manifest inside, forward slashes only' {
        $entries | Should -Not -BeNullOrEmpty
        $entries | Where-Object { $_ -notlike 'EntraAuth/*' } | Should -BeNullOrEmpty
        $entries | Where-Object { $_ -like '*\*' } | Should -BeNullOrEmpty
        $entries | Should -Contain 'EntraAuth/EntraAuth.psd1'
        $entries | Should -Contain 'EntraAuth/module/EntraAuth.psm1'
    }

    It 'carries the Windows x64 executable and the bundle, and no node_modules' {
        $entries | Should -Contain 'EntraAuth/module/bin/entraauth-win-x64.exe'
        $entries | Should -Contain 'EntraAuth/module/bin/entraauth.mjs'
        $entries | Should -Contain 'EntraAuth/module/bin/executables.json'
        $entries | Where-Object { $_ -match 'node_modules|entraauth-linux-' } | Should -BeNullOrEmpty
    }

    It 'records that its Windows x64 executable carries the code cache' {
        $archive = [System.IO.Compression.ZipFile]::OpenRead($zipPath)
        try {
            $reader = [System.IO.StreamReader]::new($archive.GetEntry('EntraAuth/module/bin/executables.json').Open())
            $record = $reader.ReadToEnd() | ConvertFrom-Json
            $reader.Dispose()
        }
        finally { $archive.Dispose() }
        @($record.targets.PSObject.Properties.Name) | Should -Be @('win-x64')
        $record.targets.'win-x64'.codeCache | Should -BeTrue
    }

    It 'is well under the size Azure Automation imports (less than 50 MB)' {
        (Get-Item $zipPath).Length | Should -BeLessThan 50MB
    }

    It 'expands into a folder named EntraAuth that imports with both seed cmdlets' {
        $target = Join-Path $TestDrive 'automation'
        Expand-Archive -LiteralPath $zipPath -DestinationPath $target
        $module = Import-Module (Join-Path $target 'EntraAuth') -Force -PassThru
        $module.Name | Should -Be 'EntraAuth'
        $module.Version.ToString() | Should -Be $package.version
        # Exactly what the source manifest exports, the two seed cmdlets among them.
        $exports = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../EntraAuth.psd1')).FunctionsToExport
        @($module.ExportedFunctions.Keys | Sort-Object) | Should -Be @($exports | Sort-Object)
        $module.ExportedFunctions.Keys | Should -Contain 'Build-MicrosoftEntraIDApplicationAccessHeader'
        $module.ExportedFunctions.Keys | Should -Contain 'Get-MicrosoftEntraIDApplicationAccessToken'
    }

    It 'on Linux it runs the bundle on node, or names both ways when node is missing' -Skip:(-not $IsLinux) {
        $app = Get-TestApp -Name 'automation'
        $saved = $env:ENTRAAUTH_CORE
        $env:ENTRAAUTH_CORE = $null
        try {
            if (Get-Command node -CommandType Application -ErrorAction SilentlyContinue) {
                $header = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $app.Secrets[1].value 6>$null
                (Test-EmulatorToken -Authorization $header.Authorization).appId | Should -Be $app.ClientId
            }
            else {
                $record = $null
                try { Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $app.Secrets[1].value } catch { $record = $_ }
                $record.FullyQualifiedErrorId | Should -Be 'EntraAuth.ERR_CORE_UNAVAILABLE,Build-MicrosoftEntraIDApplicationAccessHeader'
                $record.Exception.Message | Should -Match 'no usable single executable for linux-x64.*Node\.js was not found on PATH'
            }
        }
        finally { $env:ENTRAAUTH_CORE = $saved }
    }
}

Describe 'The Gallery folder' {
    BeforeAll {
        $manifestPath = Join-Path $galleryPath 'EntraAuth.psd1'
        $manifest = Import-PowerShellDataFile -Path $manifestPath
    }

    It 'is named after the module and passes Test-ModuleManifest, version from package.json' {
        Split-Path $galleryPath -Leaf | Should -Be 'EntraAuth'
        $tested = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
        $tested.Version.ToString() | Should -Be $package.version
    }

    It 'has what the Gallery shows: description, author, license, tags, release notes' {
        $manifest.Description | Should -Match 'Entra ID'
        $manifest.Author | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.LicenseUri | Should -Match '^https://'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Desktop'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Core'
        $notes = $manifest.PrivateData.PSData.ReleaseNotes
        $notes | Should -Match 'Single executables'
        (Get-Content -Raw (Join-Path $PSScriptRoot '../../CHANGELOG.md')) | Should -Match ([regex]::Escape(($notes -split "`n")[0].Trim()))
        Test-Path (Join-Path $galleryPath 'LICENSE') | Should -BeTrue
    }

    It 'has a project URI exactly when package.json has a homepage' {
        if ($package.homepage) { $manifest.PrivateData.PSData.ProjectUri | Should -Be $package.homepage }
        else { $manifest.PrivateData.PSData.Keys | Should -Not -Contain 'ProjectUri' }
    }

    It 'holds an executable for win-x64, win-arm64, linux-x64 and linux-arm64, the bundle, and no node_modules' {
        $bin = @(Get-ChildItem (Join-Path $galleryPath 'module/bin') | ForEach-Object Name | Sort-Object)
        $bin | Should -Be @('entraauth-linux-arm64', 'entraauth-linux-x64', 'entraauth-win-arm64.exe', 'entraauth-win-x64.exe', 'entraauth.mjs', 'executables.json')
        Get-ChildItem -Recurse -Directory $galleryPath | Where-Object Name -EQ 'node_modules' | Should -BeNullOrEmpty
    }
}
