# The canonical target of a call (login host and scopes as the core resolves them), learnt once per distinct input:
# from the envelope of the first token asked for it, or, when the cache must be looked up first, by asking the core.

# What the core said each spelling of a call's scopes and cloud stands for: learnt once per spelling.
$script:EntraAuthTargets = [hashtable]::new([System.StringComparer]::Ordinal)
# File names: case-sensitive on Linux, not on Windows and macOS (their file systems' defaults). $IsLinux, not
# $PSVersionTable, whose first read costs an import about 20 ms; Windows PowerShell 5.1 has no $IsLinux ($null).
$script:EntraAuthPathsIgnoreCase = $true
if ($IsLinux) { $script:EntraAuthPathsIgnoreCase = $false }

function Get-EntraAuthTargetSpelling {
    # A call's -Scope, -Environment and -AuthorityHost (and AZURE_AUTHORITY_HOST) as given: the key of what is learnt.
    param([Parameter(Mandatory)] [hashtable] $Parameters)
    "$(@($Parameters['Scope']) -join "`n")|$($Parameters['Environment'])|$($Parameters['AuthorityHost'])|$env:AZURE_AUTHORITY_HOST"
}

function Save-EntraAuthTarget {
    # Keeps what the core said a spelling stands for ('<login host> <scopes>') and returns that text. Scopes compare
    # without case and order, as Entra does.
    param([Parameter(Mandatory)] [string] $Spelling, [Parameter(Mandatory)] [object] $Target)
    $scopes = [System.Collections.Generic.SortedSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($scope in @($Target.scopes)) { [void]$scopes.Add(([string]$scope).ToLowerInvariant()) }
    $resolved = "$([string]$Target.authorityHost) $(@($scopes) -join ' ')"
    $script:EntraAuthTargets[$Spelling] = $resolved
    $resolved
}

function Resolve-EntraAuthTarget {
    <#
    .SYNOPSIS
        The canonical target of a call's -Scope, -Environment and -AuthorityHost (and AZURE_AUTHORITY_HOST), as the
        core resolves it: '<login host> <scopes>', so every spelling of one token shares one cache entry. Asks the core
        (resolveTarget, no network call) only for a spelling it has not answered yet, in a token's envelope or here.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [hashtable] $Parameters)
    $spelling = Get-EntraAuthTargetSpelling -Parameters $Parameters
    $known = $script:EntraAuthTargets[$spelling]
    if ($null -ne $known) { return $known }
    $request = @{ protocolVersion = 1; flow = 'resolveTarget'; tenantId = ''; logLevel = 'info' }
    if ($Parameters.ContainsKey('Scope')) { $request.scopes = @($Parameters['Scope']) }
    if ($Parameters.ContainsKey('Environment')) { $request.environment = [string]$Parameters['Environment'] }
    if ($Parameters.ContainsKey('AuthorityHost')) { $request.authorityHost = ([uri]$Parameters['AuthorityHost']).OriginalString }
    Save-EntraAuthTarget -Spelling $spelling -Target (Invoke-EntraAuthCore -Request $request -TimeoutSec 10)
}
