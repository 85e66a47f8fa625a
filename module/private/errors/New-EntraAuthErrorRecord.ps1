# Builds the ErrorRecord for a failure the core (or the launcher) reports: id, category, message, facts.

# The category of each code is the protocol table's: $script:EntraAuthErrorCategories (generated/ProtocolFacts.ps1).

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
