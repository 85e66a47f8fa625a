# Builds the ErrorRecord for a failure the core (or the launcher) reports: id, category, message, facts.

$script:EntraAuthErrorCategories = @{
    ERR_INVALID_REQUEST     = [System.Management.Automation.ErrorCategory]::InvalidArgument
    ERR_PROTOCOL            = [System.Management.Automation.ErrorCategory]::InvalidData
    ERR_AUTH_FAILED         = [System.Management.Automation.ErrorCategory]::AuthenticationError
    ERR_CREDENTIAL_UNAVAILABLE = [System.Management.Automation.ErrorCategory]::ResourceUnavailable
    ERR_THROTTLED           = [System.Management.Automation.ErrorCategory]::LimitsExceeded
    ERR_SERVICE_UNAVAILABLE = [System.Management.Automation.ErrorCategory]::ResourceUnavailable
    ERR_INVALID_RESPONSE    = [System.Management.Automation.ErrorCategory]::InvalidResult
    ERR_NETWORK             = [System.Management.Automation.ErrorCategory]::ConnectionError
    ERR_TLS                 = [System.Management.Automation.ErrorCategory]::SecurityError
    ERR_TIMEOUT             = [System.Management.Automation.ErrorCategory]::OperationTimeout
    ERR_DEVICE_CODE_EXPIRED = [System.Management.Automation.ErrorCategory]::OperationTimeout
    ERR_DEVICE_CODE_DECLINED = [System.Management.Automation.ErrorCategory]::AuthenticationError
    ERR_SIGN_IN_DECLINED    = [System.Management.Automation.ErrorCategory]::AuthenticationError
    ERR_STATE_MISMATCH      = [System.Management.Automation.ErrorCategory]::SecurityError
    ERR_CORE_UNAVAILABLE    = [System.Management.Automation.ErrorCategory]::ResourceUnavailable
    ERR_INTERNAL            = [System.Management.Automation.ErrorCategory]::NotSpecified
}

function New-EntraAuthErrorRecord {
    <#
    .SYNOPSIS
        Creates an ErrorRecord with FullyQualifiedErrorId 'EntraAuth.<Code>' and Entra's ids in Exception.Data.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)] [string] $Code,
        [Parameter(Mandatory)] [string] $Message,
        [string] $Hint,
        [int] $Status,
        [object] $OAuth,
        [object] $TargetObject
    )

    $category = $script:EntraAuthErrorCategories[$Code]
    if ($null -eq $category) { $category = [System.Management.Automation.ErrorCategory]::NotSpecified }
    $text = $Message
    if ($Hint -and $text -notlike '*Fix:*') { $text = "$text Fix: $Hint" }

    $exception = switch ($category) {
        'InvalidArgument' { [System.ArgumentException]::new($text) }
        'AuthenticationError' { [System.Security.Authentication.AuthenticationException]::new($text) }
        'OperationTimeout' { [System.TimeoutException]::new($text) }
        'ConnectionError' { [System.Net.WebException]::new($text) }
        default { [System.InvalidOperationException]::new($text) }
    }
    $exception.Data['EntraAuth.Code'] = $Code
    if ($Hint) { $exception.Data['EntraAuth.Hint'] = $Hint }
    if ($Status) { $exception.Data['EntraAuth.HttpStatus'] = $Status }
    if ($null -ne $OAuth) {
        $exception.Data['EntraAuth.OAuthError'] = [string]$OAuth.error
        foreach ($field in 'aadsts', 'suberror', 'traceId', 'correlationId', 'timestamp') {
            if ($OAuth.$field) { $exception.Data["EntraAuth.$($field.Substring(0,1).ToUpper())$($field.Substring(1))"] = [string]$OAuth.$field }
        }
    }

    # The hint is part of the message (5.1 and transcripts show no RecommendedAction) and in Data.
    [System.Management.Automation.ErrorRecord]::new($exception, "EntraAuth.$Code", $category, $TargetObject)
}
