# One line of the checklist Test-MicrosoftEntraIDApplicationAccess returns (view: EntraAuth.format.ps1xml).

$script:EntraAuthCheckTypeName = 'EntraAuth.DiagnosticCheck'

function New-EntraAuthDiagnosticCheck {
    # Name, Status (Pass, Warn, Fail, Skip), Detail (for a Skip: why), Fix (for Warn and Fail).
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [ValidateSet('Pass', 'Warn', 'Fail', 'Skip')] [string] $Status,
        [Parameter(Mandatory)] [string] $Detail,
        [string] $Fix
    )
    [pscustomobject]@{
        PSTypeName = $script:EntraAuthCheckTypeName
        Name       = $Name
        Status     = $Status
        Detail     = $Detail
        Fix        = $Fix
    }
}

function ConvertFrom-EntraAuthCoreCheck {
    # A check as the core's envelope has it ({ name, status, detail, fix }).
    param([Parameter(Mandatory)] [object] $Check)
    New-EntraAuthDiagnosticCheck -Name $Check.name -Status $Check.status -Detail $Check.detail -Fix ([string]$Check.fix)
}

function New-EntraAuthFailedCheck {
    # A failure PowerShell met before the core could be asked (an EntraAuth ErrorRecord: message and fix).
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $ErrorRecord
    )
    $fix = 'Run the same call with -Debug for details.'
    $data = $ErrorRecord.Exception.Data
    if ($data.Contains('EntraAuth.Hint')) { $fix = [string]$data['EntraAuth.Hint'] }
    $message = $ErrorRecord.Exception.Message
    $cut = $message.IndexOf(' Fix: ')
    if ($cut -gt 0) { $message = $message.Substring(0, $cut) }
    New-EntraAuthDiagnosticCheck -Name $Name -Status 'Fail' -Detail $message -Fix $fix
}
