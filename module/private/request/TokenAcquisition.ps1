# What both public cmdlets share: a saved call becomes a token from the session cache or from the core, and renewals.

function Invoke-EntraAuthAcquisition {
    <#
    .SYNOPSIS
        Gets a new token for a saved call from the core (no cache); throws an EntraAuth ErrorRecord on failure.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)] [hashtable] $SavedCall,
        # Test-MicrosoftEntraIDApplicationAccess: the core runs its checks around the token request and returns them
        # (the token stays in the core).
        [hashtable] $Diagnose
    )

    $Parameters = $SavedCall.Parameters
    # The request writer adds protocolVersion (core/RequestWriter.ps1).
    $request = @{ tenantId = [string]$Parameters['TenantId'] }
    if ($Parameters['ClientId']) { $request.clientId = [string]$Parameters['ClientId'] }
    if ($Parameters.ContainsKey('Scope')) { $request.scopes = @($Parameters['Scope']) }
    if ($Parameters.ContainsKey('Environment')) { $request.environment = [string]$Parameters['Environment'] }
    if ($Parameters.ContainsKey('AuthorityHost')) {
        $request.authorityHost = ([uri]$Parameters['AuthorityHost']).OriginalString
    }
    $timeoutSec = $script:EntraAuthDefaultTimeoutSec
    if ($Parameters.ContainsKey('TimeoutSec')) { $timeoutSec = [int]$Parameters['TimeoutSec'] }
    $request.timeoutSec = $timeoutSec
    # -Proxy, else the system's proxy for the login host when the core has none of its own (network/SystemProxy.ps1).
    if ($Parameters['Proxy']) { $request.proxy = ([uri]$Parameters['Proxy']).OriginalString }
    else {
        $systemProxy = Get-EntraAuthSystemProxy -Parameters $Parameters -SetName $SavedCall.SetName
        if ($systemProxy) { $request.systemProxy = $systemProxy }
    }
    $request.logLevel = if ($DebugPreference -ne 'SilentlyContinue') { 'debug' }
    elseif ($VerbosePreference -ne 'SilentlyContinue') { 'verbose' }
    else { 'info' }
    if ($null -ne $Diagnose) { $request.diagnose = $Diagnose }

    $setName = $SavedCall.SetName
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
    if ($setName -notlike 'Certificate*') {
        Write-Debug -Message "EntraAuth asks the core: flow $($request.flow), tenant '$($request.tenantId)', client '$($request.clientId)', timeout $timeoutSec s, log level $($request.logLevel)."
        $token = Invoke-EntraAuthCore -Request $request -TimeoutSec $timeoutSec
    }
    if ($null -ne $Diagnose) { return , @($token.checks) }

    # What the token is for, as the core resolved it (its envelope's target): the cache key of a new call.
    $SavedCall.Target = $token.target
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
        A new token for a cache entry: by its refresh token when it has one, else by the saved call again. Without
        -Interactive a device code entry is never renewed by a new sign-in (nobody may be there to see the code).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param([Parameter(Mandatory)] [hashtable] $Entry, [switch] $Interactive)

    # Also reached from the renewing globals' breakpoint, outside the cmdlets.
    $DebugPreference = Get-EntraAuthDebugPreference -Preference $DebugPreference
    $savedCall = $Entry.SavedCall
    if ($null -ne $Entry.RefreshToken) {
        $p = $savedCall.Parameters
        $refresh = @{ TenantId = $p['TenantId']; ClientId = $p['ClientId']; RefreshToken = $Entry.RefreshToken }
        foreach ($name in 'Scope', 'Environment', 'AuthorityHost', 'Proxy') { if ($p.ContainsKey($name)) { $refresh[$name] = $p[$name] } }
        $signIn = $savedCall.CredentialKind -in 'deviceCode', 'interactive'
        if (-not $signIn -and $p.ContainsKey('TimeoutSec')) { $refresh['TimeoutSec'] = $p['TimeoutSec'] }
        if ($signIn -and $p['Scope']) { $refresh['Scope'] = @($p['Scope']) + $script:EntraAuthOfflineAccessScope }
        if (Test-EntraAuthSecretGiven $p['ClientSecret']) { $refresh['ClientSecret'] = $p['ClientSecret'] }
        if ($p['Credential']) { $refresh['ClientId'] = $p['Credential'].UserName; $refresh['ClientSecret'] = $p['Credential'].Password }
        try {
            Write-Verbose -Message 'Renewing the token silently with the refresh token from the session cache.'
            return Invoke-EntraAuthAcquisition -SavedCall @{ SetName = 'ClientSecret'; CredentialKind = 'refreshToken'; Parameters = $refresh }
        }
        catch [System.Management.Automation.PipelineStoppedException] { throw }
        catch {
            if (-not $signIn -or -not $Interactive) { throw }
            Write-Verbose -Message "The refresh token from the session cache was refused ($($_.Exception.Message)); signing in again."
        }
    }
    if ($savedCall.CredentialKind -in 'deviceCode', 'interactive' -and -not $Interactive) {
        $switch = if ($savedCall.CredentialKind -eq 'interactive') { '-Interactive' } else { '-DeviceCode' }
        throw (New-EntraAuthErrorRecord -Code 'ERR_CREDENTIAL_UNAVAILABLE' -Message "The $switch sign-in has no refresh token to renew it silently." -Hint "Run the command with $switch again and sign in.")
    }
    Invoke-EntraAuthAcquisition -SavedCall $savedCall
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
        $savedCall = New-EntraAuthSavedCall -SetName $Cmdlet.ParameterSetName -Parameters $Parameters -SessionState $Cmdlet.SessionState
        $entry = $null
        if (-not $Force) {
            # A target not learnt yet: only when the cache may hold its token under another spelling is the core asked
            # what it is before the lookup; else the token's own envelope says it (one round trip for a cold call).
            if ($null -eq $savedCall.Key -and (Test-EntraAuthCacheMayHold -SavedCall $savedCall)) { Complete-EntraAuthCacheKey -SavedCall $savedCall }
            if ($null -ne $savedCall.Key) { $entry = $script:EntraAuthTokenCache[$savedCall.Key] }
        }
        # Another secret or refresh token: not this entry's token; the new one replaces it.
        $same = $null -ne $entry -and (Test-EntraAuthSameCredential -SavedCall $savedCall -Entry $entry)
        if (-not $same) { $entry = $null }
        if ($null -ne $entry -and (Test-EntraAuthEntryFresh -Entry $entry -MarginSec $margin)) {
            Write-Verbose -Message (Format-EntraAuthTokenFacts -Token $entry.Token -Source 'the session cache')
            Save-EntraAuthCallMemo -SetName $Cmdlet.ParameterSetName -Bound $Parameters -Entry $entry
            return $entry
        }
        if ($null -ne $entry) {
            # Keep the credential of this call for later renewals (e.g. a secret that was rotated).
            $entry.SavedCall = $savedCall
            $token = Invoke-EntraAuthRenewal -Entry $entry -Interactive
        }
        else { $token = Invoke-EntraAuthAcquisition -SavedCall $savedCall }
        Complete-EntraAuthCacheKey -SavedCall $savedCall
        $entry = Save-EntraAuthCacheEntry -SavedCall $savedCall -Token $token
        Save-EntraAuthCallMemo -SetName $Cmdlet.ParameterSetName -Bound $Parameters -Entry $entry
        $entry
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
