# Finds how to run the core: the one place that knows about node and the bundle.

$script:EntraAuthCoreCommand = $null

function Resolve-EntraAuthCore {
    <#
    .SYNOPSIS
        Returns the program and arguments that start the EntraAuth core, or throws ResourceUnavailable.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param()

    if ($null -ne $script:EntraAuthCoreCommand) { return $script:EntraAuthCoreCommand }

    $bundle = Join-Path -Path $script:EntraAuthModuleRoot -ChildPath 'bin/entraauth.mjs'
    if (-not (Test-Path -LiteralPath $bundle -PathType Leaf)) {
        throw (New-EntraAuthErrorRecord -Code 'ERR_CORE_UNAVAILABLE' -Message "The EntraAuth core is missing: $bundle does not exist." -Hint 'Build it with "npm run build" in the source folder, or reinstall the module.')
    }

    $node = Get-Command -Name 'node' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $node) {
        throw (New-EntraAuthErrorRecord -Code 'ERR_CORE_UNAVAILABLE' -Message 'Node.js was not found on PATH; the EntraAuth core needs Node.js 20 or later.' -Hint 'Install Node.js 20 LTS or later (https://nodejs.org) and open a new session.')
    }
    $versionText = (& $node.Source --version 2>$null | Select-Object -First 1)
    $version = $null
    if (-not [version]::TryParse(([string]$versionText).TrimStart('v'), [ref]$version) -or $version.Major -lt 20) {
        throw (New-EntraAuthErrorRecord -Code 'ERR_CORE_UNAVAILABLE' -Message "Node.js at $($node.Source) is version '$versionText'; the EntraAuth core needs 20 or later." -Hint 'Install Node.js 20 LTS or later and make it first on PATH.')
    }

    $script:EntraAuthCoreCommand = [pscustomobject]@{
        FileName  = $node.Source
        Arguments = '--no-warnings "' + $bundle + '"'
    }
    $script:EntraAuthCoreCommand
}
