# The cmdlets' parameters become a saved call: the request for the core, kept for renewals.

function Get-EntraAuthSecretValue {
    # A secret parameter as the core takes it: a string or SecureString as it is; a script block is run now
    # (for -ClientAssertion, anew for each token) and must return one of those.
    param([Parameter(Mandatory)] [string] $Name, [object] $Value)
    if ($Value -is [scriptblock]) {
        $Value = @(& $Value) | Select-Object -Last 1
        if ($null -eq $Value) {
            throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "The script block of -$Name returned nothing." -Hint "Make the script block return the token as a string, e.g. { Get-Content -Raw /var/run/secrets/token }.")
        }
    }
    if ($null -ne $Value -and -not ($Value -is [string] -or $Value -is [securestring])) {
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message "-$Name must be a string or a SecureString, not $($Value.GetType().FullName)." -Hint "Pass the $Name as text or as the SecureString that Read-Host -AsSecureString or Get-AutomationPSCredential gives.")
    }
    $Value
}

function Test-EntraAuthSecretGiven {
    # True for a non-empty string or any SecureString.
    param([object] $Value)
    $null -ne $Value -and ($Value -is [securestring] -or [string]$Value -ne '')
}

function Set-EntraAuthSecretFlow {
    # The client secret and refresh token sets: which grant the seed's parameters ask for.
    param([Parameter(Mandatory)] [hashtable] $Request, [Parameter(Mandatory)] [hashtable] $Parameters)
    $secret = Get-EntraAuthSecretValue -Name 'ClientSecret' -Value $Parameters['ClientSecret']
    if ($Parameters.ContainsKey('Credential')) {
        $Request.clientId = $Parameters['Credential'].UserName
        $secret = $Parameters['Credential'].Password
    }
    $refreshToken = Get-EntraAuthSecretValue -Name 'RefreshToken' -Value $Parameters['RefreshToken']
    if (Test-EntraAuthSecretGiven $refreshToken) {
        $Request.flow = 'refreshToken'
        $Request.refreshToken = $refreshToken
        if (Test-EntraAuthSecretGiven $secret) { $Request.clientSecret = $secret }
    }
    elseif (Test-EntraAuthSecretGiven $secret) {
        $Request.flow = 'clientSecret'
        $Request.clientSecret = $secret
    }
    else {
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message 'Not enough information to get a token: no client secret, credential or refresh token was given.' -Hint 'Pass -ClientId and -ClientSecret (or -Credential) for an app-only token, -ClientId and -RefreshToken to renew a delegated one, or -ManagedIdentity in Azure.')
    }
}
# The secret parameters are the protocol table's: $script:EntraAuthSecretParameters (generated/ProtocolFacts.ps1).

function ConvertTo-EntraAuthSecureString {
    # A secret kept for renewals: a string becomes a SecureString; anything else stays as it is.
    # NetworkCredential, not ConvertTo-SecureString: that cmdlet loads a module at its first use (about 100 ms).
    param([object] $Value)
    if ($Value -is [string] -and $Value -ne '') { return [System.Net.NetworkCredential]::new('', $Value).SecurePassword }
    $Value
}

function New-EntraAuthSavedCall {
    <#
    .SYNOPSIS
        The call as EntraAuth keeps it to renew the token: parameter set, credential kind, parameters with secrets as
        SecureString and paths made absolute, the device code defaults, and the cache key.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)] [string] $SetName,
        [Parameter(Mandatory)] [hashtable] $Parameters,
        [Parameter(Mandatory)] [System.Management.Automation.SessionState] $SessionState
    )
    $skip = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters) + @('Force', 'PassThru')
    $copy = @{}
    foreach ($name in $Parameters.Keys) {
        if ($skip -contains $name) { continue }
        $value = $Parameters[$name]
        if ($script:EntraAuthSecretParameters -contains $name) { $value = ConvertTo-EntraAuthSecureString -Value $value }
        # Renewals may run from another location: keep the path PowerShell means now.
        if ($name -in 'CertificatePath', 'FederatedTokenFile') { $value = $SessionState.Path.GetUnresolvedProviderPathFromPSPath([string]$value) }
        $copy[$name] = $value
    }
    if ($SetName -eq 'DeviceCode' -or $SetName -eq 'Interactive') {
        if (-not $copy['TenantId']) { $copy['TenantId'] = $script:EntraAuthDeviceCodeTenant }
        if (-not $copy['ClientId']) { $copy['ClientId'] = Get-EntraAuthDefaultPublicClient -Scope $copy['Scope'] }
        $waitSec = $script:EntraAuthDeviceCodeTimeoutSec
        if ($SetName -eq 'Interactive') { $waitSec = $script:EntraAuthInteractiveTimeoutSec }
        if (-not $copy.ContainsKey('TimeoutSec')) { $copy['TimeoutSec'] = $waitSec }
    }
    $credentialKind = switch ($SetName) {
        'ClientSecret' {
            if (Test-EntraAuthSecretGiven $copy['RefreshToken']) { 'refreshToken' } else { 'clientSecret' }
        }
        'Credential' { if (Test-EntraAuthSecretGiven $copy['RefreshToken']) { 'refreshToken' } else { 'credential' } }
        default { $SetName.Substring(0, 1).ToLowerInvariant() + $SetName.Substring(1) }
    }
    $savedCall = @{ SetName = $SetName; CredentialKind = $credentialKind; Parameters = $copy }
    Set-EntraAuthCacheIdentity -SavedCall $savedCall
    $savedCall
}
