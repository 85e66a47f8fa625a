# The system proxy for the login host (Windows' settings: WinINet/WinHTTP, a PAC file, WPAD), which only .NET knows:
# the module asks it and hands the answer to the core in the request's systemProxy field, never in the environment.

# The login host of each cloud, as the core's CLOUDS (src/config/constants.ts); test/unit/http/systemProxyHosts.test.ts keeps them equal.
$script:EntraAuthCloudLoginHosts = @{
    Global = 'https://login.microsoftonline.com'
    USGov  = 'https://login.microsoftonline.us'
    China  = 'https://login.chinacloudapi.cn'
}

# Where the system's proxy settings come from. The tests replace this script block (InModuleScope) with one that
# returns a System.Net.WebProxy, as Windows' settings would give one on Linux too; everything after it runs as it is.
$script:EntraAuthSystemWebProxy = { [System.Net.WebRequest]::GetSystemWebProxy() }

# The variables with which the core has a proxy of its own (src/config/constants.ts ENV_VARS): then the system is not asked.
$script:EntraAuthProxyVariables = @('ENTRAAUTH_PROXY', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy')

function Get-EntraAuthSystemProxy {
    <#
    .SYNOPSIS
        The system's proxy for the login host of a call, as an absolute URI string, or $null for a direct connection.
    .DESCRIPTION
        Not asked with -Proxy, with a proxy variable set (the core takes those), or for -ManagedIdentity (its endpoints
        never go through a proxy). A login host the system bypasses (its bypass list, loopback) gets $null.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [hashtable] $Parameters, [Parameter(Mandatory)] [string] $SetName)

    if ($SetName -eq 'ManagedIdentity' -or $Parameters.ContainsKey('Proxy')) { return $null }
    foreach ($name in $script:EntraAuthProxyVariables) {
        # As the core reads them (src/config/env.ts): a value of only spaces is no proxy.
        if (-not [string]::IsNullOrWhiteSpace([Environment]::GetEnvironmentVariable($name))) { return $null }
    }
    $loginHost = $script:EntraAuthCloudLoginHosts['Global']
    if ($Parameters['AuthorityHost']) { $loginHost = ([uri]$Parameters['AuthorityHost']).OriginalString }
    elseif ($Parameters['Environment']) { $loginHost = $script:EntraAuthCloudLoginHosts[[string]$Parameters['Environment']] }
    elseif ($env:AZURE_AUTHORITY_HOST) { $loginHost = $env:AZURE_AUTHORITY_HOST }
    $target = $null
    # Not a URI: the core refuses it with a clear error; no proxy to look up.
    if (-not [uri]::TryCreate($loginHost.Trim(), [System.UriKind]::Absolute, [ref]$target)) { return $null }
    try {
        $webProxy = & $script:EntraAuthSystemWebProxy
        if ($null -eq $webProxy -or $webProxy.IsBypassed($target)) { return $null }
        $proxy = $webProxy.GetProxy($target)
    }
    catch {
        Write-Debug -Message "The system proxy could not be read ($($_.Exception.Message)); going direct."
        return $null
    }
    # GetProxy gives the target itself for a direct connection.
    if ($null -eq $proxy -or ($proxy.Scheme -eq $target.Scheme -and $proxy.Authority -eq $target.Authority)) { return $null }
    Write-Verbose -Message "The system proxy for $($target.Scheme)://$($target.Authority) is $($proxy.Scheme)://$($proxy.Authority)."
    $proxy.AbsoluteUri
}
