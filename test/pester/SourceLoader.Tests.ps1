# A source checkout imports the scripts as "npm run build" joined them (module/bin/EntraAuth.joined.ps1, one file to
# read and parse) while none changed since, and each script once one has: an edit is never missed. Run on a copy of
# the checkout's module, whose files' times the test sets. The packaged run has no source checkout: it skips this.

BeforeDiscovery {
    # A source checkout has module/private; the package (and the packaged run's stage) has the joined psm1 only.
    $script:checkout = Join-Path $PSScriptRoot '../../module/private'
}

Describe 'The source checkout''s loader' -Skip:(-not (Test-Path $script:checkout)) {
    BeforeAll {
        $source = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $joinedName = 'bin/EntraAuth.joined.ps1'
        if (-not (Test-Path (Join-Path $source "module/$joinedName"))) {
            throw "module/$joinedName is missing: run npm run build."
        }
        $copy = Join-Path ([System.IO.Path]::GetTempPath()) ('entraauth-loader-' + [guid]::NewGuid())
        New-Item -ItemType Directory -Path (Join-Path $copy 'module/bin') -Force | Out-Null
        $into = Join-Path $copy 'module'
        Copy-Item -LiteralPath (Join-Path $source 'EntraAuth.psd1') -Destination $copy
        foreach ($name in 'EntraAuth.psm1', 'EntraAuth.format.ps1xml', 'private', 'public') {
            Copy-Item -Recurse -LiteralPath (Join-Path $source "module/$name") -Destination $into
        }
        Copy-Item -LiteralPath (Join-Path $source "module/$joinedName") -Destination (Join-Path $into $joinedName)
        $script:joined = Join-Path $copy "module/$joinedName"

        function Set-Written {
            # Every file of the copy written at $At, the joined one at $JoinedAt.
            param([datetime] $At, [datetime] $JoinedAt)
            foreach ($file in Get-ChildItem -LiteralPath $copy -Recurse -File) { $file.LastWriteTimeUtc = $At }
            (Get-Item -LiteralPath $script:joined).LastWriteTimeUtc = $JoinedAt
        }

        function Get-LoadedFrom {
            # Imports the copy in place of the module; returns the file Build-MicrosoftEntraIDApplicationAccessHeader
            # came from.
            Get-Module -Name EntraAuth | Remove-Module -Force
            Import-Module (Join-Path $copy 'EntraAuth.psd1') -Force
            try { (Get-Command -Name Build-MicrosoftEntraIDApplicationAccessHeader -Module EntraAuth).ScriptBlock.File }
            finally { Get-Module -Name EntraAuth | Remove-Module -Force }
        }
        $built = [datetime]::UtcNow.AddMinutes(-10)
    }

    AfterAll {
        Get-Module -Name EntraAuth | Remove-Module -Force
        Remove-Item -Recurse -Force -LiteralPath $copy -ErrorAction SilentlyContinue
    }

    It 'loads the joined file while it is newer than the loader and every script' {
        Set-Written -At $built.AddSeconds(-5) -JoinedAt $built
        Get-LoadedFrom | Should -Be $script:joined
    }

    It 'loads each script once one of them was written after the join (an edit without a build)' {
        Set-Written -At $built.AddSeconds(-5) -JoinedAt $built
        $edited = Get-Item -LiteralPath (Join-Path $copy 'module/private/core/JsonText.ps1')
        $edited.LastWriteTimeUtc = $built.AddSeconds(1)
        Get-LoadedFrom | Should -BeLike '*public?Build-MicrosoftEntraIDApplicationAccessHeader.ps1'
    }

    It 'loads each script when the loader itself changed (a script added to its list)' {
        Set-Written -At $built.AddSeconds(-5) -JoinedAt $built
        (Get-Item -LiteralPath (Join-Path $copy 'module/EntraAuth.psm1')).LastWriteTimeUtc = $built.AddSeconds(1)
        Get-LoadedFrom | Should -BeLike '*public?Build-MicrosoftEntraIDApplicationAccessHeader.ps1'
    }

    It 'loads each script (and so names the missing one) when a listed script is gone' {
        Set-Written -At $built.AddSeconds(-5) -JoinedAt $built
        Remove-Item -LiteralPath (Join-Path $copy 'module/private/output/Format-EntraAuthTokenFacts.ps1')
        { Get-LoadedFrom } | Should -Throw '*Format-EntraAuthTokenFacts.ps1*'
    }
}
