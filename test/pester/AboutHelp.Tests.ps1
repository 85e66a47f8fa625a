# The about_EntraAuth topic: shipped beside the manifest in every package (Get-Help looks in the module base's
# culture folder), and found by Get-Help once the module is imported: the source module, the Gallery folder, the zip.

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $topicPath = Join-Path $root 'en-US/about_EntraAuth.help.txt'
    $dist = $env:ENTRAAUTH_TEST_DIST
    if (-not $dist) { $dist = Join-Path $root 'dist' }

    function Get-AboutEntraAuthText {
        # In a new runspace (its own help system and modules), so that only this import can make the topic known;
        # no path: no import at all.
        param([string] $ManifestPath)
        $shell = [powershell]::Create()
        try {
            if ($ManifestPath) { [void]$shell.AddScript("Import-Module -Name '$ManifestPath' 3>`$null").AddStatement() }
            [void]$shell.AddScript('try { Get-Help -Name about_EntraAuth -ErrorAction Stop | Out-String -Width 200 } catch { "ABOUT_ENTRAAUTH_NOT_FOUND: $_" }')
            ($shell.Invoke() | Out-String) + ($shell.Streams.Error | Out-String)
        }
        finally { $shell.Dispose() }
    }

    function Assert-AboutEntraAuthText {
        param([string] $Text)
        $Text | Should -Match 'TOPIC\s+about_EntraAuth'
        $Text | Should -Match 'SHORT DESCRIPTION'
        $Text | Should -Match 'Build-MicrosoftEntraIDApplicationAccessHeader'
        $Text | Should -Not -Match 'ABOUT_ENTRAAUTH_NOT_FOUND'
    }
}

Describe 'about_EntraAuth' {
    It 'about_EntraAuth: the topic is plain ASCII text, in about_ form, no line over 80 columns' {
        Test-Path -LiteralPath $topicPath | Should -BeTrue
        $bytes = [System.IO.File]::ReadAllBytes($topicPath)
        @($bytes | Where-Object { $_ -ge 0x80 }).Count | Should -Be 0
        $lines = [System.IO.File]::ReadAllLines($topicPath)
        $lines[0] | Should -Be 'TOPIC'
        $lines[1].Trim() | Should -Be 'about_EntraAuth'
        @($lines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
        @($lines | Where-Object { $_ -match "`t" }) | Should -BeNullOrEmpty
        foreach ($section in 'SHORT DESCRIPTION', 'LONG DESCRIPTION', 'EXAMPLES', 'SEE ALSO') { $lines | Should -Contain $section }
    }

    It 'about_EntraAuth: Get-Help does not find it without the module (so the import is what makes it found)' {
        Get-AboutEntraAuthText | Should -Match 'ABOUT_ENTRAAUTH_NOT_FOUND'
    }

    # In the packaged run this manifest is the staged Gallery folder's.
    It 'about_EntraAuth: Get-Help finds it after importing the module under test (the checkout; in the packaged run the Gallery folder)' {
        Assert-AboutEntraAuthText (Get-AboutEntraAuthText -ManifestPath (Join-Path $root 'EntraAuth.psd1'))
    }
}

Describe 'about_EntraAuth in the packages' {
    Context 'as the packaging lays them out now (build/package.mjs, without executables)' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../../build/package.mjs'))) {
        BeforeAll {
            $node = $env:ENTRAAUTH_TEST_NODE
            if (-not $node) { $node = (Get-Command node -CommandType Application | Select-Object -First 1).Source }
            $layout = Join-Path $TestDrive 'layout'
            $zip = Join-Path $TestDrive 'EntraAuth.zip'
            # Paths travel as arguments; the script turns them into file URLs itself.
            $script = "import { readFileSync } from 'node:fs'; import { join } from 'node:path'; import { pathToFileURL } from 'node:url';" +
                " const [root, parent, zip] = process.argv.slice(1);" +
                " const { layOut } = await import(pathToFileURL(join(root, 'build', 'package.mjs')).href);" +
                " const { writeZip } = await import(pathToFileURL(join(root, 'build', 'zip.mjs')).href);" +
                " const folder = layOut(parent, readFileSync(join(root, 'EntraAuth.psd1'), 'utf8'), { nodeVersion: 'none', targets: {} }, []);" +
                " writeZip(zip, folder, parent)"
            & $node --input-type=module -e $script $root $layout $zip
            if ($LASTEXITCODE -ne 0) { throw "Laying out the package failed ($LASTEXITCODE): run 'npm run build' first." }
        }

        It 'about_EntraAuth: the laid-out folder has en-US/about_EntraAuth.help.txt beside the manifest, as in the checkout' {
            $copy = Join-Path $layout 'EntraAuth/en-US/about_EntraAuth.help.txt'
            Test-Path -LiteralPath $copy | Should -BeTrue
            (Get-FileHash -LiteralPath $copy).Hash | Should -Be (Get-FileHash -LiteralPath $topicPath).Hash
        }

        It 'about_EntraAuth: Get-Help finds it after importing the laid-out folder and the expanded zip' {
            Assert-AboutEntraAuthText (Get-AboutEntraAuthText -ManifestPath (Join-Path $layout 'EntraAuth/EntraAuth.psd1'))
            $expanded = Join-Path $TestDrive 'expanded'
            Expand-Archive -LiteralPath $zip -DestinationPath $expanded
            Assert-AboutEntraAuthText (Get-AboutEntraAuthText -ManifestPath (Join-Path $expanded 'EntraAuth/EntraAuth.psd1'))
        }
    }

    # $env:ENTRAAUTH_TEST_DIST is the checkout's dist/ (build/pester.mjs sets it), also in the packaged run.
    Context 'as npm run package wrote them (dist/)' -Skip:(-not (Test-Path (Join-Path $(if ($env:ENTRAAUTH_TEST_DIST) { $env:ENTRAAUTH_TEST_DIST } else { Join-Path $PSScriptRoot '../../dist' }) 'gallery/EntraAuth/EntraAuth.psd1'))) {
        BeforeAll {
            $package = Get-Content -Raw (Join-Path $PSScriptRoot '../../package.json') | ConvertFrom-Json
            $zipPath = Join-Path $dist "EntraAuth-$($package.version).zip"
            Add-Type -AssemblyName System.IO.Compression.FileSystem
        }

        It 'about_EntraAuth: the Gallery folder and the zip hold en-US/about_EntraAuth.help.txt' {
            Test-Path -LiteralPath (Join-Path $dist 'gallery/EntraAuth/en-US/about_EntraAuth.help.txt') | Should -BeTrue
            $archive = [System.IO.Compression.ZipFile]::OpenRead($zipPath)
            try { @($archive.Entries | ForEach-Object FullName) | Should -Contain 'EntraAuth/en-US/about_EntraAuth.help.txt' }
            finally { $archive.Dispose() }
        }

        It 'about_EntraAuth: Get-Help finds it after importing the Gallery folder' {
            Assert-AboutEntraAuthText (Get-AboutEntraAuthText -ManifestPath (Join-Path $dist 'gallery/EntraAuth/EntraAuth.psd1'))
        }
    }
}
