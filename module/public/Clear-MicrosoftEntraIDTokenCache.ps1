function Clear-MicrosoftEntraIDTokenCache {
    <#
    .SYNOPSIS
        Empties EntraAuth's session token cache: cached access tokens, refresh tokens and kept credentials.

    .DESCRIPTION
        Build-MicrosoftEntraIDApplicationAccessHeader and Get-MicrosoftEntraIDApplicationAccessToken keep each token
        in a cache of this PowerShell session (never on disk) and return it again while it is valid. This forgets
        them all, so the next call asks Entra (a device code sign-in prompts again), and stops the renewal of
        $global:MicrosoftEntraIDHeader and $global:MicrosoftEntraIDAccessToken, which keep their last values.
        Token objects returned earlier are not changed.

    .EXAMPLE
        Clear-MicrosoftEntraIDTokenCache

        Signs the session out of EntraAuth's cache, e.g. before handing the console to someone else.

    .EXAMPLE
        Clear-MicrosoftEntraIDTokenCache -WhatIf

        Says how many cached tokens would be forgotten.

    .OUTPUTS
        None.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType([void])]
    param()

    # Inquire (5.1's -Debug, or inherited) would prompt at every debug line, and fail where no one can answer.
    $DebugPreference = Get-EntraAuthDebugPreference -Preference $DebugPreference
    $count = $script:EntraAuthTokenCache.Count
    if ($PSCmdlet.ShouldProcess("EntraAuth session token cache ($count tokens)", 'Clear')) {
        $removed = Clear-EntraAuthSessionCache
        Write-Verbose -Message "Removed $removed cached tokens."
    }
}
