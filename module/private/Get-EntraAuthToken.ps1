# What both public cmdlets share: their parameters become a recipe (kept for renewals), the recipe a token from the
# session cache or from the core, and the answer a token object.

function ConvertTo-EntraAuthTokenObject {
    # The token as PowerShell returns it: displays redacted, converts to the access token as a string.
    param([Parameter(Mandatory)] [object] $Token, [string] $TenantId, [string] $ClientId)

    $accessToken = [string]$Token.accessToken
    $claims = $Token.claims
    $result = [pscustomobject]@{
        PSTypeName   = 'EntraAuth.AccessToken'
        TokenType    = [string]$Token.tokenType
        ExpiresOn    = [datetime]::Parse($Token.expiresOn, [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal)
        Audience     = if ($null -ne $claims) { [string]$claims.aud } else { $null }
        Roles        = if ($null -ne $claims -and $null -ne $claims.roles) { [string[]]$claims.roles } else { @() }
        Scope        = if ($Token.scope) { [string]$Token.scope } elseif ($null -ne $claims -and $claims.scp) { [string]$claims.scp } else { $null }
        TenantId     = $TenantId
        ClientId     = $ClientId
        RefreshToken = if ($Token.refreshToken) { ConvertTo-EntraAuthSecureString -Value ([string]$Token.refreshToken) } else { $null }
        # Entra's refresh_in hint (long-lived tokens): the cache renews from then on.
        RefreshOn    = if ($Token.refreshIn) { [DateTime]::UtcNow.AddSeconds([double]$Token.refreshIn) } else { $null }
    }
    # "Bearer $token" and [string]$token give the access token; displays use the redacting view.
    $result | Add-Member -MemberType ScriptMethod -Name ToString -Value { $accessToken }.GetNewClosure() -Force
    $result
}

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

function Test-EntraAuthValue {
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
    if (Test-EntraAuthValue $refreshToken) {
        $Request.flow = 'refreshToken'
        $Request.refreshToken = $refreshToken
        if (Test-EntraAuthValue $secret) { $Request.clientSecret = $secret }
    }
    elseif (Test-EntraAuthValue $secret) {
        $Request.flow = 'clientSecret'
        $Request.clientSecret = $secret
    }
    else {
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message 'Not enough information to get a token: no client secret, credential or refresh token was given.' -Hint 'Pass -ClientId and -ClientSecret (or -Credential) for an app-only token, -ClientId and -RefreshToken to renew a delegated one, or -ManagedIdentity in Azure.')
    }
}

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
$script:EntraAuthGraphScopePattern = '^(https://)?(graph\.microsoft\.com|graph\.microsoft\.us|dod-graph\.microsoft\.us|microsoftgraph\.chinacloudapi\.cn|00000003-0000-0000-c000-000000000000)(/|$)'

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
$script:EntraAuthSecretParameters = @('ClientSecret', 'RefreshToken', 'CertificatePassword', 'ClientAssertion')

function ConvertTo-EntraAuthSecureString {
    # A secret kept for renewals: a string becomes a SecureString; anything else stays as it is.
    # NetworkCredential, not ConvertTo-SecureString: that cmdlet loads a module at its first use (about 100 ms).
    param([object] $Value)
    if ($Value -is [string] -and $Value -ne '') { return [System.Net.NetworkCredential]::new('', $Value).SecurePassword }
    $Value
}

function New-EntraAuthRecipe {
    <#
    .SYNOPSIS
        The call as EntraAuth keeps it to renew the token: parameter set, flow, parameters with secrets as SecureString
        and paths made absolute, the device code defaults, and the cache key.
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
    $flow = switch ($SetName) {
        'ClientSecret' { if (Test-EntraAuthValue $copy['RefreshToken']) { 'refreshToken' } else { 'clientSecret' } }
        'Credential' { if (Test-EntraAuthValue $copy['RefreshToken']) { 'refreshToken' } else { 'credential' } }
        default { $SetName.Substring(0, 1).ToLowerInvariant() + $SetName.Substring(1) }
    }
    $recipe = @{ SetName = $SetName; Flow = $flow; Parameters = $copy }
    $recipe.Key = Get-EntraAuthCacheKey -Recipe $recipe
    $recipe
}

function Invoke-EntraAuthAcquisition {
    <#
    .SYNOPSIS
        Gets a new token for a recipe from the core (no cache); throws an EntraAuth ErrorRecord on failure.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param([Parameter(Mandatory)] [hashtable] $Recipe)

    $Parameters = $Recipe.Parameters
    $request = @{ protocolVersion = 1; tenantId = [string]$Parameters['TenantId'] }
    if ($Parameters['ClientId']) { $request.clientId = [string]$Parameters['ClientId'] }
    if ($Parameters.ContainsKey('Scope')) { $request.scopes = @($Parameters['Scope']) }
    if ($Parameters.ContainsKey('Environment')) { $request.environment = [string]$Parameters['Environment'] }
    if ($Parameters.ContainsKey('AuthorityHost')) { $request.authorityHost = ([uri]$Parameters['AuthorityHost']).OriginalString }
    $timeoutSec = 60
    if ($Parameters.ContainsKey('TimeoutSec')) { $timeoutSec = [int]$Parameters['TimeoutSec'] }
    $request.timeoutSec = $timeoutSec
    $request.logLevel = if ($DebugPreference -ne 'SilentlyContinue') { 'debug' } elseif ($VerbosePreference -ne 'SilentlyContinue') { 'verbose' } else { 'info' }

    $setName = $Recipe.SetName
    switch -Wildcard ($setName) {
        'Certificate*' { $token = Invoke-EntraAuthCertificateFlow -Request $request -Parameters $Parameters -TimeoutSec $timeoutSec }
        'ManagedIdentity' {
            $request.flow = 'managedIdentity'
            if ($Parameters['ManagedIdentityObjectId']) { $request.managedIdentityObjectId = [string]$Parameters['ManagedIdentityObjectId'] }
            if ($Parameters['ManagedIdentityResourceId']) { $request.managedIdentityResourceId = [string]$Parameters['ManagedIdentityResourceId'] }
        }
        'WorkloadIdentity' { $request.flow = 'workloadIdentity' }
        'FederatedTokenFile' {
            $request.flow = 'workloadIdentity'
            $request.federatedTokenFile = [string]$Parameters['FederatedTokenFile']
        }
        'ClientAssertion' {
            $request.flow = 'workloadIdentity'
            $request.clientAssertion = Get-EntraAuthSecretValue -Name 'ClientAssertion' -Value $Parameters['ClientAssertion']
        }
        'DeviceCode' { $request.flow = 'deviceCode' }
        'Interactive' {
            $request.flow = 'interactive'
            if ($Parameters['LoginHint']) { $request.loginHint = [string]$Parameters['LoginHint'] }
            if ($Parameters['Prompt']) { $request.prompt = [string]$Parameters['Prompt'] }
            $blocker = Get-EntraAuthBrowserBlocker
            if ($blocker) { $request.browserUnavailable = $blocker }
        }
        default { Set-EntraAuthSecretFlow -Request $request -Parameters $Parameters }
    }
    if ($setName -notlike 'Certificate*') { $token = Invoke-EntraAuthCore -Request $request -TimeoutSec $timeoutSec }

    # Managed identities are known by the token's claims; otherwise by what was asked.
    $tenantId = $request.tenantId
    $clientId = $request.clientId
    if ($null -ne $token.claims) {
        if ($token.claims.tid) { $tenantId = [string]$token.claims.tid }
        if ($token.claims.appid) { $clientId = [string]$token.claims.appid }
    }
    ConvertTo-EntraAuthTokenObject -Token $token -TenantId $tenantId -ClientId $clientId
}

function Invoke-EntraAuthRenewal {
    <#
    .SYNOPSIS
        A new token for a cache entry: by its refresh token when it has one, else by the recipe again. Without
        -Interactive a device code entry is never renewed by a new sign-in (nobody may be there to see the code).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param([Parameter(Mandatory)] [hashtable] $Entry, [switch] $Interactive)

    $recipe = $Entry.Recipe
    if ($null -ne $Entry.RefreshToken) {
        $p = $recipe.Parameters
        $refresh = @{ TenantId = $p['TenantId']; ClientId = $p['ClientId']; RefreshToken = $Entry.RefreshToken }
        foreach ($name in 'Scope', 'Environment', 'AuthorityHost') { if ($p.ContainsKey($name)) { $refresh[$name] = $p[$name] } }
        $signIn = $recipe.Flow -in 'deviceCode', 'interactive'
        if (-not $signIn -and $p.ContainsKey('TimeoutSec')) { $refresh['TimeoutSec'] = $p['TimeoutSec'] }
        if ($signIn -and $p['Scope']) { $refresh['Scope'] = @($p['Scope']) + 'offline_access' }
        if (Test-EntraAuthValue $p['ClientSecret']) { $refresh['ClientSecret'] = $p['ClientSecret'] }
        if ($p['Credential']) { $refresh['ClientId'] = $p['Credential'].UserName; $refresh['ClientSecret'] = $p['Credential'].Password }
        try {
            Write-Verbose -Message 'Renewing the token silently with the refresh token from the session cache.'
            return Invoke-EntraAuthAcquisition -Recipe @{ SetName = 'ClientSecret'; Flow = 'refreshToken'; Parameters = $refresh }
        }
        catch [System.Management.Automation.PipelineStoppedException] { throw }
        catch {
            if (-not $signIn -or -not $Interactive) { throw }
            Write-Verbose -Message "The refresh token from the session cache was refused ($($_.Exception.Message)); signing in again."
        }
    }
    if ($recipe.Flow -in 'deviceCode', 'interactive' -and -not $Interactive) {
        $switch = if ($recipe.Flow -eq 'interactive') { '-Interactive' } else { '-DeviceCode' }
        throw (New-EntraAuthErrorRecord -Code 'ERR_CREDENTIAL_UNAVAILABLE' -Message "The $switch sign-in has no refresh token to renew it silently." -Hint "Run the command with $switch again and sign in.")
    }
    Invoke-EntraAuthAcquisition -Recipe $recipe
}

function Get-EntraAuthToken {
    <#
    .SYNOPSIS
        Gets the session cache entry for the bound parameters of a public cmdlet: the cached token while it is
        fresh, else a renewed or new one; throws a terminating error on failure.
    .PARAMETER Cmdlet
        The public cmdlet: its parameter set names the flow, and it throws the terminating error.
    .PARAMETER Parameters
        Its bound parameters.
    .PARAMETER Force
        Skip the cache: always a new token (a new sign-in for -DeviceCode), which then replaces the cached one.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [hashtable] $Parameters,
        [switch] $Force
    )

    try {
        $margin = Get-EntraAuthRefreshMargin
        $recipe = New-EntraAuthRecipe -SetName $Cmdlet.ParameterSetName -Parameters $Parameters -SessionState $Cmdlet.SessionState
        $entry = $null
        if (-not $Force) { $entry = $script:EntraAuthTokenCache[$recipe.Key] }
        # Another secret or refresh token: not this entry's token; the new one replaces it.
        if ($null -ne $entry -and -not (Test-EntraAuthSameCredential -Recipe $recipe -Entry $entry)) { $entry = $null }
        if ($null -ne $entry -and (Test-EntraAuthEntryFresh -Entry $entry -MarginSec $margin)) {
            Write-Verbose -Message (Format-EntraAuthTokenFacts -Token $entry.Token -Source 'the session cache')
            return $entry
        }
        if ($null -ne $entry) {
            # Keep the credential of this call for later renewals (e.g. a secret that was rotated).
            $entry.Recipe = $recipe
            $token = Invoke-EntraAuthRenewal -Entry $entry -Interactive
        }
        else { $token = Invoke-EntraAuthAcquisition -Recipe $recipe }
        Save-EntraAuthCacheEntry -Recipe $recipe -Token $token
    }
    catch [System.Management.Automation.PipelineStoppedException] {
        throw
    }
    catch {
        $record = $_
        if ($record.FullyQualifiedErrorId -notlike 'EntraAuth.*') {
            $record = New-EntraAuthErrorRecord -Code 'ERR_INTERNAL' -Message "EntraAuth failed unexpectedly: $($record.Exception.Message)" -Hint 'Run again with -Debug and report the issue.'
        }
        $Cmdlet.ThrowTerminatingError($record)
    }
}
