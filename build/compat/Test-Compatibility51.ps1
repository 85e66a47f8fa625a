<#
.SYNOPSIS
    Checks scripts for what Windows PowerShell 5.1 on .NET Framework 4.8 does not have, and lists each finding.
.DESCRIPTION
    Parses each script with PowerShell's parser and reports, as "path:line: missing|guarded: what":
    - PowerShell 7's syntax: ?:, &&, ||, ??, ??=, ?., ?[], clean, a trailing &, -replace with a script block,
      Method[T](), 0b1010 and 1uy/1n literals;
    - the commands, parameters and variables SevenOnly.psd1 lists (generated from the PowerShell docs);
    - type literals, casts, parameter and attribute types, New-Object types, static members and constructors
      (with argument counts) and the members of receivers whose type the script states, resolved against the
      .NET Framework 4.8 reference assemblies and PowerShell 5.1's reference System.Management.Automation
      (NuGet packages, read with MetadataLoadContext).
    A finding inside a try with a catch, behind a feature probe ($PSVersionTable, $PSEdition, -as [type],
    .PSObject.Methods[...], GetMethod(...), Get-Command ...) in an if, switch or -and/-or, or after a probe
    that returns is "guarded" (either branch of the probe: the check does not tell which one 5.1 takes).
    Syntax is never guarded: 5.1 cannot load the file. Members of values whose type the script does not
    state ($x = Get-Something; $x.Foo) are not checked.
    Exits 1 when anything is missing and not guarded, 2 when it could not run.
.PARAMETER Path
    Script files or folders (searched for *.ps1, *.psm1, *.psd1), one or more: positional, so that
    "pwsh -File" can pass several. Default: the module (module/ and EntraAuth.psd1).
.PARAMETER PackageRoot
    Where the NuGet packages of FetchReferences.csproj were restored. Default: .cache/nuget in the repository.
.PARAMETER AsJson
    Writes the findings as one JSON array instead of lines.
.EXAMPLE
    pwsh -NoProfile -File build/compat/Test-Compatibility51.ps1
.EXAMPLE
    pwsh -NoProfile -File build/compat/Test-Compatibility51.ps1 test/compat/samples/missing.ps1 other.ps1
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0, ValueFromRemainingArguments)] [string[]] $Path,
    [string] $PackageRoot,
    [switch] $AsJson
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
if (-not $Path) { $Path = (Join-Path $root 'module'), (Join-Path $root 'EntraAuth.psd1') }
if (-not $PackageRoot) { $PackageRoot = Join-Path $root '.cache/nuget' }

. (Join-Path $PSScriptRoot 'References51.ps1')
. (Join-Path $PSScriptRoot 'Guards51.ps1')
. (Join-Path $PSScriptRoot 'TypeInference51.ps1')
. (Join-Path $PSScriptRoot 'Rules51.ps1')

try {
    Open-Reference51 -PackageRoot $PackageRoot
    $table = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'SevenOnly.psd1')
    $files = foreach ($item in $Path) {
        # A folder's bin/ is build output (a source checkout's joined scripts): the scripts themselves are checked.
        if (Test-Path -LiteralPath $item -PathType Container) {
            $folder = (Resolve-Path -LiteralPath $item).ProviderPath
            Get-ChildItem -LiteralPath $folder -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' |
                Where-Object { $_.FullName.Substring($folder.Length) -notmatch '^[\\/]?bin[\\/]|[\\/]bin[\\/]' } |
                Sort-Object FullName
        }
        else { Get-Item -LiteralPath $item }
    }
    $findings = foreach ($item in $files) {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($item.FullName, [ref]$tokens, [ref]$errors)
        $name = $item.FullName
        if ($name.StartsWith($root + [System.IO.Path]::DirectorySeparatorChar)) { $name = $name.Substring($root.Length + 1).Replace('\', '/') }
        $file = @{
            Name = $name
            Ast = $ast
            Nodes = $ast.FindAll({ $true }, $true)
            Errors = $errors
            Namespaces = @($ast.UsingStatements | Where-Object { $_.UsingStatementKind -eq 'Namespace' } | ForEach-Object { $_.Name.Value })
            Classes = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.TypeDefinitionAst] }, $true) | ForEach-Object Name)
        }
        $file.ProbeNames = @(Get-Compat51ProbeName -Nodes $file.Nodes)
        Add-Compat51Scopes -File $file
        $script:ScriptClasses = $file.Classes
        Find-Compat51Syntax -File $file
        if ($errors.Count) { continue }
        Find-Compat51CommandUse -File $file -Table $table
        Find-Compat51Variable -File $file -Table $table
        Find-Compat51TypeUse -File $file
        Find-Compat51MemberUse -File $file
    }
    $findings = @($findings | Sort-Object Path, Line, What -Unique)
}
catch {
    [Console]::Error.WriteLine("The 5.1 compatibility check could not run: $($_.Exception.Message) $($_.ScriptStackTrace)")
    exit 2
}
finally { Close-Reference51 }

$missing = @($findings | Where-Object Status -eq 'missing')
if ($AsJson) { ConvertTo-Json -InputObject @($findings) -Depth 3 -Compress }
else {
    foreach ($finding in $findings) {
        $why = if ($finding.Guard) { " [$($finding.Guard)]" } else { '' }
        "$($finding.Path):$($finding.Line): $($finding.Status): $($finding.What)$why"
    }
    "Windows PowerShell 5.1 check: $($files.Count) files, $($missing.Count) missing, $($findings.Count - $missing.Count) guarded."
}
if ($missing.Count) { exit 1 }
exit 0
