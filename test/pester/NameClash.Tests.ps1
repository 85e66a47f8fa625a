# The name EntraAuth is also the PowerShell Gallery's (another module): the import says so, once, when the other one, or
# another command under one of our names, is loaded. The other one here is a fake with its own GUID, in a temp folder.

BeforeAll {
    $manifestPath = (Resolve-Path (Join-Path $PSScriptRoot '../../EntraAuth.psd1')).Path
    $manifest = Import-PowerShellDataFile -Path $manifestPath
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-name-clash-" + [guid]::NewGuid())
    $otherGuid = [guid]::NewGuid()

    function New-FakeModule {
        # A module folder <Name>/<Name>.psd1 + .psm1 exporting the given functions.
        param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Version, [Parameter(Mandatory)] [guid] $Guid, [Parameter(Mandatory)] [string[]] $Functions)
        $moduleFolder = Join-Path (Join-Path $folder $Version) $Name
        New-Item -ItemType Directory -Path $moduleFolder -Force | Out-Null
        $list = ($Functions | ForEach-Object { "'$_'" }) -join ', '
        Set-Content -LiteralPath (Join-Path $moduleFolder "$Name.psd1") -Value "@{ RootModule = '$Name.psm1'; ModuleVersion = '$Version'; GUID = '$Guid'; FunctionsToExport = @($list) }"
        Set-Content -LiteralPath (Join-Path $moduleFolder "$Name.psm1") -Value (($Functions | ForEach-Object { "function $_ { 'fake $Name' }" }) -join "`n")
        Join-Path $moduleFolder "$Name.psd1"
    }

    function Import-Ours {
        # Imports this module (-Force) and returns the warnings of the import.
        $warnings = @(Import-Module $manifestPath -Force 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        , @($warnings | ForEach-Object { "$_" })
    }

    function Remove-Everything {
        Get-Module -Name EntraAuth, LncSeedCopy | Remove-Module -Force -ErrorAction SilentlyContinue
        Remove-Item -Path Alias:\Build-MicrosoftEntraIDApplicationAccessHeader -ErrorAction SilentlyContinue
        Remove-Item -Path Function:\Clear-MicrosoftEntraIDTokenCache -ErrorAction SilentlyContinue
    }

    $galleryManifest = New-FakeModule -Name 'EntraAuth' -Version '1.8.2' -Guid $otherGuid -Functions 'Connect-EntraService', 'Get-EntraToken'
    $seedManifest = New-FakeModule -Name 'LncSeedCopy' -Version '1.0.0' -Guid ([guid]::NewGuid()) -Functions 'Get-MicrosoftEntraIDApplicationAccessToken'
}

AfterAll {
    Remove-Everything
    Remove-Item -Recurse -Force -LiteralPath $folder -ErrorAction SilentlyContinue
}

Describe 'At import' {
    BeforeEach { Remove-Everything }

    It 'nothing else loaded: no warning' {
        $warnings = Import-Ours
        $warnings | Should -BeNullOrEmpty
        # Imported again (-Force, the same module): still none.
        Import-Ours | Should -BeNullOrEmpty
    }

    It 'leaves $PSModuleAutoLoadingPreference as it was: unset, or the value a session gave it' {
        # The lookup turns module autoloading off in the global scope while it runs (EntraAuth.psm1).
        Remove-Variable -Name PSModuleAutoLoadingPreference -Scope Global -ErrorAction SilentlyContinue
        try {
            Import-Ours | Should -BeNullOrEmpty
            Test-Path -Path Variable:\global:PSModuleAutoLoadingPreference | Should -BeFalse
            $global:PSModuleAutoLoadingPreference = 'ModuleQualified'
            Import-Ours | Should -BeNullOrEmpty
            $global:PSModuleAutoLoadingPreference | Should -Be 'ModuleQualified'
        }
        finally { Remove-Variable -Name PSModuleAutoLoadingPreference -Scope Global -ErrorAction SilentlyContinue }
    }

    It 'the Gallery''s EntraAuth loaded first: one warning naming both versions, GUIDs and paths, and how to get this one' {
        Import-Module $galleryManifest
        $warnings = Import-Ours
        $warnings.Count | Should -Be 1
        $warning = $warnings[0]
        $other = Get-Module -Name EntraAuth | Where-Object Guid -EQ $otherGuid
        $ours = Get-Module -Name EntraAuth | Where-Object Guid -EQ $manifest.GUID
        $other | Should -Not -BeNullOrEmpty
        $ours | Should -Not -BeNullOrEmpty
        $warning | Should -BeLike "Another module named EntraAuth is loaded: version 1.8.2 (GUID $otherGuid, $($other.Path)). It is not this module, EntraAuth $($manifest.ModuleVersion) (GUID $($manifest.GUID), $($ours.Path)): *"
        $warning | Should -BeLike "*Import-Module EntraAuth -RequiredVersion $($manifest.ModuleVersion)*"
        $warning | Should -BeLike "*#Requires -Modules @{ ModuleName = 'EntraAuth'; GUID = '$($manifest.GUID)'; ModuleVersion = '$($manifest.ModuleVersion)' }*"
        # Our commands still run ours.
        (Get-Command Get-MicrosoftEntraIDApplicationAccessToken).Module.Guid | Should -Be $manifest.GUID
    }

    It 'another module with one of our command names, an alias and a script''s function of the others: one warning names all' {
        Import-Module $seedManifest
        Set-Alias -Name Build-MicrosoftEntraIDApplicationAccessHeader -Value Get-Date -Scope Global
        # As a copied script that defines the seed's functions leaves them.
        . ([scriptblock]::Create('function global:Clear-MicrosoftEntraIDTokenCache { }'))
        $warnings = Import-Ours
        $warnings.Count | Should -Be 1
        $seed = Get-Module -Name LncSeedCopy
        $warnings[0] | Should -BeLike "*Get-MicrosoftEntraIDApplicationAccessToken is also module LncSeedCopy 1.0.0 ($($seed.Path)): a call by that name may run it instead of EntraAuth $($manifest.ModuleVersion) (*"
        $warnings[0] | Should -BeLike '*Build-MicrosoftEntraIDApplicationAccessHeader is also an alias for Get-Date:*'
        $warnings[0] | Should -BeLike '*Clear-MicrosoftEntraIDTokenCache is also a function defined outside any module*'
        $warnings[0] | Should -Not -BeLike '*Another module named EntraAuth*'
    }

    It 'another copy of this module (same GUID, another folder): not another module, but its commands are named' {
        $copy = Join-Path $folder 'copy/EntraAuth'
        New-Item -ItemType Directory -Path (Join-Path $copy 'module') -Force | Out-Null
        Copy-Item -LiteralPath $manifestPath -Destination $copy
        Get-ChildItem -LiteralPath (Join-Path (Split-Path $manifestPath) 'module') | Where-Object Name -NE 'bin' | Copy-Item -Destination (Join-Path $copy 'module') -Recurse
        Import-Module (Join-Path $copy 'EntraAuth.psd1') 3>$null
        $warnings = Import-Ours
        $warnings.Count | Should -Be 1
        $warnings[0] | Should -Not -BeLike '*Another module named EntraAuth*'
        $warnings[0] | Should -BeLike "*Get-MicrosoftEntraIDApplicationAccessToken is also module EntraAuth $($manifest.ModuleVersion) ($(Join-Path $copy 'module/EntraAuth.psm1')):*"
    }
}

# The packaged run stages README.md and docs/ beside the tests too (build/packagedStage.mjs), so this runs in both runs.
Describe 'The README says how to get this one' {
    It 'its #Requires line names the manifest''s GUID and version' {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $readme | Should -Match ([regex]::Escape("#Requires -Modules @{ ModuleName = 'EntraAuth'; GUID = '$($manifest.GUID)'; ModuleVersion = '$($manifest.ModuleVersion)' }"))
        $readme | Should -Match ([regex]::Escape("Import-Module EntraAuth -RequiredVersion $($manifest.ModuleVersion)"))
    }

    It 'and so does docs/install.md, where the longer text is' {
        $page = Get-Content -Raw (Join-Path $PSScriptRoot '../../docs/install.md')
        $page | Should -Match ([regex]::Escape("#Requires -Modules @{ ModuleName = 'EntraAuth'; GUID = '$($manifest.GUID)'; ModuleVersion = '$($manifest.ModuleVersion)' }"))
        $page | Should -Match ([regex]::Escape("Import-Module EntraAuth -RequiredVersion $($manifest.ModuleVersion)"))
    }

    It 'and that line refuses the other EntraAuth and runs with this one' {
        Remove-Everything
        $script = Join-Path $folder 'requires.ps1'
        Set-Content -LiteralPath $script -Value "#Requires -Modules @{ ModuleName = 'EntraAuth'; GUID = '$($manifest.GUID)'; ModuleVersion = '$($manifest.ModuleVersion)' }`n'ran'"
        Import-Module $galleryManifest
        { & $script } | Should -Throw -ExceptionType ([System.Management.Automation.ScriptRequiresException])
        Import-Ours | Out-Null
        & $script | Should -Be 'ran'
        Remove-Everything
    }
}
