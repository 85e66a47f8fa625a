# The debug preference for EntraAuth's own debug output: every entry point (the public cmdlets, a renewal) sets it.

function Get-EntraAuthDebugPreference {
    <#
    .SYNOPSIS
        Returns the preference EntraAuth writes its debug output with: Inquire becomes Continue, anything else stays.
    .DESCRIPTION
        Windows PowerShell 5.1's -Debug sets $DebugPreference = 'Inquire' in the function, and a caller may set it too.
        Inquire prompts at every Write-Debug, and in a host that cannot prompt (Azure Automation, pwsh -NonInteractive)
        every Write-Debug fails. The caller assigns the result to its own $DebugPreference, so all it calls inherits it.
    .PARAMETER Preference
        The caller's $DebugPreference.
    #>
    # Not an advanced function: every call of the cmdlets runs it, also the cached ones.
    param([System.Management.Automation.ActionPreference] $Preference)

    if ($Preference -eq [System.Management.Automation.ActionPreference]::Inquire) {
        return [System.Management.Automation.ActionPreference]::Continue
    }
    $Preference
}
