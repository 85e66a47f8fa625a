# The module as a package: manifest, exports and help. (What Windows PowerShell 5.1 lacks: test/compat, npm run compat51.)

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $manifestPath = Join-Path $root 'EntraAuth.psd1'
    $manifest = Import-PowerShellDataFile -Path $manifestPath
    $publicFolder = Join-Path $root 'module/public'
    if (Test-Path $publicFolder) { $public = Get-ChildItem -Path $publicFolder -Filter '*.ps1' | ForEach-Object BaseName }
    else {
        # The packaged module: its one script marks where each public script begins.
        $joined = Get-Content -Raw (Join-Path $root 'module/EntraAuth.psm1')
        $public = [regex]::Matches($joined, '(?m)^# region public/(.+)\.ps1\r?$') | ForEach-Object { $_.Groups[1].Value }
    }
    Import-Module $manifestPath -Force
}

AfterAll { Remove-Module EntraAuth -ErrorAction SilentlyContinue }

Describe 'Manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'targets Windows PowerShell 5.1 and PowerShell 7' {
        $manifest.PowerShellVersion | Should -Be '5.1'
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'exports exactly the public functions, by name' {
        @($manifest.FunctionsToExport | Sort-Object) | Should -Be @($public | Sort-Object)
        @((Get-Module EntraAuth).ExportedFunctions.Keys | Sort-Object) | Should -Be @($public | Sort-Object)
        $manifest.CmdletsToExport | Should -BeNullOrEmpty
        $manifest.VariablesToExport | Should -BeNullOrEmpty
        $manifest.AliasesToExport | Should -BeNullOrEmpty
    }

    It 'keeps only its own variables in the module scope after the import, where every function of it sees them' {
        # PowerShell's own ones, which every module scope has.
        $automatic = 'args', 'Error', 'false', 'foreach', 'input', 'MyInvocation', 'null', 'PSCommandPath',
        'PSDefaultParameterValues', 'PSScriptRoot', 'true'
        $names = & (Get-Module EntraAuth) { (Get-Variable -Scope Script).Name }
        $names | Where-Object { $_ -notlike 'EntraAuth*' -and $automatic -notcontains $_ } | Should -BeNullOrEmpty
    }

    It 'takes its version from package.json' {
        $package = Get-Content -Raw (Join-Path $root 'package.json') | ConvertFrom-Json
        $manifest.ModuleVersion | Should -Be $package.version
    }
}

Describe 'Seed parameters of <_>' -ForEach @('Build-MicrosoftEntraIDApplicationAccessHeader', 'Get-MicrosoftEntraIDApplicationAccessToken') {
    BeforeAll { $command = Get-Command $_ }

    It 'keeps tenantid, clientid, clientSecret, refreshtoken at positions 0 to 3' {
        $set = $command.ParameterSets | Where-Object IsDefault
        foreach ($expected in @(@('TenantId', 0), @('ClientId', 1), @('ClientSecret', 2), @('RefreshToken', 3))) {
            ($set.Parameters | Where-Object Name -EQ $expected[0]).Position | Should -Be $expected[1]
        }
        ($set.Parameters | Where-Object Name -EQ 'TenantId').IsMandatory | Should -BeTrue
    }

    It 'has help with a synopsis, every parameter and examples' {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            ($help.Parameters.Parameter | Where-Object Name -EQ $parameter).Description.Text | Should -Not -BeNullOrEmpty -Because "-$parameter needs help"
        }
    }
}

Describe 'Clear-MicrosoftEntraIDTokenCache' {
    It 'has help with a synopsis, a description and examples, and asks before it clears (ShouldProcess)' {
        $help = Get-Help Clear-MicrosoftEntraIDTokenCache -Full
        $help.Synopsis | Should -Match 'session token cache'
        ($help.Description.Text -join ' ') | Should -Match 'never on disk'
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 1
        (Get-Command Clear-MicrosoftEntraIDTokenCache).Parameters.Keys | Should -Contain 'WhatIf'
    }
}

Describe 'Help per parameter set' {
    BeforeDiscovery {
        Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
        $sets = foreach ($name in 'Build-MicrosoftEntraIDApplicationAccessHeader', 'Get-MicrosoftEntraIDApplicationAccessToken') {
            foreach ($set in (Get-Command $name).ParameterSets) { @{ Command = $name; Name = $set.Name } }
        }
    }

    It '<Command> has an example for the parameter set <Name>' -ForEach $sets {
        # A parameter only this set has appears in one of the examples.
        $command = Get-Command $Command
        $examples = @((Get-Help $Command -Full).Examples.Example | ForEach-Object { $_.Code })
        $all = @($command.ParameterSets | ForEach-Object { , @($_.Parameters.Name) })
        $own = @(($command.ParameterSets | Where-Object Name -EQ $Name).Parameters.Name | Where-Object {
                $parameter = $_
                @($all | Where-Object { $_ -contains $parameter }).Count -eq 1
            })
        $own | Should -Not -BeNullOrEmpty -Because "set $Name needs a parameter of its own"
        @($examples | Where-Object { $example = $_; @($own | Where-Object { $example -match "-$_\b" }).Count -gt 0 }).Count | Should -BeGreaterThan 0 -Because "an example should use one of -$($own -join ', -')"
    }
}
