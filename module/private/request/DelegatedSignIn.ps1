# Defaults of the delegated sign-ins (device code and browser): the first-party public clients, tenants, timeouts.

# The public clients -Interactive and -DeviceCode sign in with when no -ClientId is given (see Get-EntraAuthDefaultPublicClient).
# Microsoft Graph Command Line Tools (Connect-MgGraph's client) may ask for any Graph permission; first-party clients such as
# the Azure CLI's get AADSTS65002 for Graph permissions they are not preauthorized for.
$script:EntraAuthGraphClientId = '14d82eec-204b-4c2f-b7e8-296a70dab67e'
# Azure PowerShell (Connect-AzAccount's client, Az.Accounts' PowerShellClientId): preauthorized for Azure Resource Manager.
$script:EntraAuthAzureClientId = '1950a258-227b-4e31-a9cf-717495945fc2'
$script:EntraAuthDeviceCodeTenant = 'organizations'
# A device code sign-in waits for a person: Entra's codes last 15 minutes.
$script:EntraAuthDeviceCodeTimeoutSec = 900
# A browser sign-in waits for a person at this machine.
$script:EntraAuthInteractiveTimeoutSec = 300
# Graph's scopes in any cloud: the protocol table's $script:EntraAuthGraphScopePattern (generated/ProtocolFacts.ps1).

function Get-EntraAuthDefaultPublicClient {
    # The default client for the first resource that -Scope names: Graph's for Graph (also a bare permission such as
    # User.Read.All, and no scope at all), Azure PowerShell's for anything else.
    param([string[]] $Scope)
    foreach ($item in @($Scope)) {
        $text = ([string]$item).Trim()
        if ($text -eq '' -or @('openid', 'profile', 'email', 'offline_access') -contains $text.ToLowerInvariant()) { continue }
        if ($text -match $script:EntraAuthGraphScopePattern) { return $script:EntraAuthGraphClientId }
        if ($text -notmatch '[/:]' -and $text -notmatch '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$') { return $script:EntraAuthGraphClientId }
        return $script:EntraAuthAzureClientId
    }
    $script:EntraAuthGraphClientId
}

function Get-EntraAuthBrowserBlocker {
    # Why nobody can use a browser opened from here, or nothing. The core decides (ENTRAAUTH_BROWSER overrides it).
    if ($null -ne $PSSenderInfo) { return 'this is a remote PowerShell session, so a browser would open on the remote machine' }
    if ($null -ne (Get-Variable -Name PSPrivateMetadata -Scope Global -ValueOnly -ErrorAction Ignore)) { return 'this runs as an Azure Automation job' }
    if (-not [Environment]::UserInteractive) { return 'this process has no interactive desktop (a service or scheduled task)' }
    foreach ($argument in [Environment]::GetCommandLineArgs()) { if ($argument -match '^-noni') { return 'PowerShell runs with -NonInteractive' } }
    $null
}
