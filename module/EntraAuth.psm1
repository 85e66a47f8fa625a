# EntraAuth: loads the private helpers and the public cmdlets. Nothing runs at import that can wait.

$script:EntraAuthModuleRoot = $PSScriptRoot

foreach ($file in @(
        'private/New-EntraAuthErrorRecord.ps1'
        'private/Get-EntraAuthDebugPreference.ps1'
        'private/Get-EntraAuthNameClash.ps1'
        'private/Resolve-EntraAuthCore.ps1'
        'private/Invoke-EntraAuthCore.ps1'
        'private/New-EntraAuthHeader.ps1'
        'private/Open-EntraAuthCertificateFile.ps1'
        'private/Find-EntraAuthCertificate.ps1'
        'private/Get-EntraAuthCertificateCredential.ps1'
        'private/New-EntraAuthAssertionSignature.ps1'
        'private/Invoke-EntraAuthCertificateFlow.ps1'
        'private/Save-EntraAuthCacheEntry.ps1'
        'private/Update-EntraAuthLiveGlobals.ps1'
        'private/Get-EntraAuthSystemProxy.ps1'
        'private/Get-EntraAuthToken.ps1'
        'public/Build-MicrosoftEntraIDApplicationAccessHeader.ps1'
        'public/Get-MicrosoftEntraIDApplicationAccessToken.ps1'
        'public/Clear-MicrosoftEntraIDTokenCache.ps1'
    )) {
    . (Join-Path -Path $PSScriptRoot -ChildPath $file)
}

# Removing the module removes the read breakpoints of the live globals, whose action lives in this module, and ends
# its resident core (stdin closed: it exits; killed after a second if it does not) and that core's runspace-closing hook.
$ExecutionContext.SessionState.Module.OnRemove = { Unregister-EntraAuthLiveGlobals; Unregister-EntraAuthCoreCleanup; Stop-EntraAuthCore -GraceMilliseconds 1000 }

$script:EntraAuthCommandNames = @('Build-MicrosoftEntraIDApplicationAccessHeader', 'Get-MicrosoftEntraIDApplicationAccessToken', 'Clear-MicrosoftEntraIDTokenCache')

# One warning when another EntraAuth (the Gallery's is a different module) or another command of one of these names is loaded.
$clash = Get-EntraAuthNameClash -ModuleScript $PSCommandPath -CommandName $script:EntraAuthCommandNames
if ($clash) { Write-Warning -Message $clash }

Export-ModuleMember -Function $script:EntraAuthCommandNames
