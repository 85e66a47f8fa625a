# Every module script is ASCII or UTF-8 with a BOM: Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page.

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $extensions = @('.ps1', '.psm1', '.psd1', '.ps1xml')

    function Get-ScriptEncodingProblem {
        # $null for an ASCII file or valid UTF-8 after a BOM; else what is wrong, with the line of the first non-ASCII byte.
        param([Parameter(Mandatory)] [string] $Path)
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        if ($bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) {
            try { [void][System.Text.UTF8Encoding]::new($false, $true).GetString($bytes, 3, $bytes.Length - 3); return $null }
            catch { return "has a UTF-8 BOM but is not valid UTF-8" }
        }
        for ($i = 0; $i -lt $bytes.Length; $i++) {
            if ($bytes[$i] -ge 0x80) {
                $line = 1
                for ($j = 0; $j -lt $i; $j++) { if ($bytes[$j] -eq 10) { $line++ } }
                return "has a non-ASCII byte (0x{0:X2}) on line {1} and no UTF-8 BOM" -f $bytes[$i], $line
            }
        }
        $null
    }

    function Get-ModuleScriptFile {
        # The module's scripts under a folder that holds EntraAuth.psd1 and module/.
        param([Parameter(Mandatory)] [string] $Folder)
        @(Get-Item -LiteralPath (Join-Path $Folder 'EntraAuth.psd1'))
        @(Get-ChildItem -LiteralPath (Join-Path $Folder 'module') -Recurse -File | Where-Object { $extensions -contains $_.Extension })
    }
}

Describe 'Module file encoding' {
    It 'every .ps1 .psm1 .psd1 .ps1xml of the module and the manifest (packaged copies in the packaged run)' {
        # In the packaged run ($env:ENTRAAUTH_TEST_PACKAGED) this root is the staged Gallery folder.
        $files = Get-ModuleScriptFile -Folder $root
        # A source checkout has public/ and private/; a packaged module has the joined EntraAuth.psm1 only.
        @($files.Name) | Should -Contain 'EntraAuth.psm1'
        @($files.Name) | Should -Contain 'EntraAuth.format.ps1xml'
        if (Test-Path (Join-Path $root 'module/private')) { $files.Count | Should -BeGreaterThan 10 }
        $problems = foreach ($file in $files) { $problem = Get-ScriptEncodingProblem -Path $file.FullName; if ($problem) { "$($file.FullName) $problem" } }
        $problems | Should -BeNullOrEmpty
    }

    It 'the Gallery folder dist/gallery/EntraAuth, when it was packaged' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../../dist/gallery/EntraAuth/EntraAuth.psd1'))) {
        $files = Get-ModuleScriptFile -Folder (Join-Path $root 'dist/gallery/EntraAuth')
        # The manifest, the joined module script and the format file.
        @($files.Name | Sort-Object) | Should -Be @('EntraAuth.format.ps1xml', 'EntraAuth.psd1', 'EntraAuth.psm1')
        $problems = foreach ($file in $files) { $problem = Get-ScriptEncodingProblem -Path $file.FullName; if ($problem) { "$($file.FullName) $problem" } }
        $problems | Should -BeNullOrEmpty
    }

    It 'the check finds a non-ASCII character in a file without a BOM, and accepts it with a BOM' {
        $sample = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-encoding-" + [guid]::NewGuid() + '.ps1')
        try {
            $text = "# ok`n# Loading$([char]0x2026) and ASCII`n"
            [System.IO.File]::WriteAllText($sample, $text, [System.Text.UTF8Encoding]::new($false))
            Get-ScriptEncodingProblem -Path $sample | Should -Be 'has a non-ASCII byte (0xE2) on line 2 and no UTF-8 BOM'
            [System.IO.File]::WriteAllText($sample, $text, [System.Text.UTF8Encoding]::new($true))
            Get-ScriptEncodingProblem -Path $sample | Should -BeNullOrEmpty
            [System.IO.File]::WriteAllBytes($sample, [byte[]](0xEF, 0xBB, 0xBF, 0x23, 0xE2, 0x80))
            Get-ScriptEncodingProblem -Path $sample | Should -Be 'has a UTF-8 BOM but is not valid UTF-8'
            [System.IO.File]::WriteAllText($sample, "# plain ASCII`n")
            Get-ScriptEncodingProblem -Path $sample | Should -BeNullOrEmpty
        }
        finally { Remove-Item -LiteralPath $sample -ErrorAction SilentlyContinue }
    }
}
