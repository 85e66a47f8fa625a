# Test-MicrosoftEntraIDApplicationAccess's work: the certificate checks here, then the core's checks around one
# token request (request/TokenAcquisition.ps1 builds it exactly as for a token), as one checklist.

function Invoke-EntraAuthDiagnostics {
    <#
    .SYNOPSIS
        The checklist for the bound credential parameters of the public cmdlet; never throws for a failed check.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)] [string] $SetName,
        [Parameter(Mandatory)] [hashtable] $Parameters,
        [Parameter(Mandatory)] [System.Management.Automation.SessionState] $SessionState,
        [uri] $Uri
    )

    $cmdlet = [System.Management.Automation.PSCmdlet]
    $skip = @($cmdlet::CommonParameters) + @($cmdlet::OptionalCommonParameters) + @('Uri', 'Quiet')
    $copy = @{}
    foreach ($name in $Parameters.Keys) {
        if ($skip -contains $name) { continue }
        $value = $Parameters[$name]
        if ($name -in 'CertificatePath', 'FederatedTokenFile') {
            $value = $SessionState.Path.GetUnresolvedProviderPathFromPSPath([string]$value)
        }
        $copy[$name] = $value
    }

    $certificateChecks = @()
    if ($SetName -like 'Certificate*') {
        $certificateChecks = @(Get-EntraAuthCertificateChecks -Parameters $copy -Now (Get-EntraAuthNow))
        if (@($certificateChecks | Where-Object Status -EQ 'Fail').Count -gt 0) {
            $certificateChecks
            $detail = 'A certificate check above fails; nothing was sent.'
            New-EntraAuthDiagnosticCheck -Name 'Token request' -Status 'Skip' -Detail $detail
            return
        }
    }

    $diagnose = @{}
    if ($null -ne $Uri) { $diagnose.uri = $Uri.OriginalString }
    $savedCall = @{ SetName = $SetName; Parameters = $copy }
    try { $coreChecks = Invoke-EntraAuthAcquisition -SavedCall $savedCall -Diagnose $diagnose }
    catch [System.Management.Automation.PipelineStoppedException] { throw }
    catch {
        $certificateChecks
        New-EntraAuthFailedCheck -Name 'Credential' -ErrorRecord $_
        $detail = 'The credential check above fails; nothing was sent.'
        New-EntraAuthDiagnosticCheck -Name 'Token request' -Status 'Skip' -Detail $detail
        return
    }
    # The certificate's checks after the input checks (which end with Scope), before anything the network told.
    foreach ($check in $coreChecks) {
        ConvertFrom-EntraAuthCoreCheck -Check $check
        if ($check.name -eq 'Scope') { $certificateChecks }
    }
}
