# The canonical target of a call (login host and scopes as the core resolves them), asked once per distinct input.

# What the core said each spelling of a call's scopes and cloud stands for (resolveTarget): asked once per spelling.
$script:EntraAuthTargets = [hashtable]::new([System.StringComparer]::Ordinal)
# File names: case-sensitive on Linux, not on Windows and macOS (their file systems' defaults).
$script:EntraAuthPathsIgnoreCase = -not ($PSVersionTable.PSEdition -eq 'Core' -and $IsLinux)

function Resolve-EntraAuthTarget {
    <#
    .SYNOPSIS
        The canonical target of a call's -Scope, -Environment and -AuthorityHost (and AZURE_AUTHORITY_HOST), as the
        core resolves it: '<login host> <scopes>', so every spelling of one token shares one cache entry.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [hashtable] $Parameters)
    $spelling = "$(@($Parameters['Scope']) -join "`n")|$($Parameters['Environment'])|$($Parameters['AuthorityHost'])|$env:AZURE_AUTHORITY_HOST"
    $known = $script:EntraAuthTargets[$spelling]
    if ($null -ne $known) { return $known }
    $request = @{ protocolVersion = 1; flow = 'resolveTarget'; tenantId = ''; logLevel = 'info' }
    if ($Parameters.ContainsKey('Scope')) { $request.scopes = @($Parameters['Scope']) }
    if ($Parameters.ContainsKey('Environment')) { $request.environment = [string]$Parameters['Environment'] }
    if ($Parameters.ContainsKey('AuthorityHost')) { $request.authorityHost = ([uri]$Parameters['AuthorityHost']).OriginalString }
    $target = Invoke-EntraAuthCore -Request $request -TimeoutSec 10
    # Scopes are compared without case and order, as Entra does.
    $scopes = [System.Collections.Generic.SortedSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($scope in @($target.scopes)) { [void]$scopes.Add(([string]$scope).ToLowerInvariant()) }
    $resolved = "$([string]$target.authorityHost) $(@($scopes) -join ' ')"
    $script:EntraAuthTargets[$spelling] = $resolved
    $resolved
}
