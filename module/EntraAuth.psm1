# EntraAuth: loads the private helpers and the public cmdlets. Nothing runs at import that can wait.

$script:EntraAuthModuleRoot = $PSScriptRoot
$script:EntraAuthCommandNames = @(
    'Build-MicrosoftEntraIDApplicationAccessHeader', 'Get-MicrosoftEntraIDApplicationAccessToken'
    'Clear-MicrosoftEntraIDTokenCache', 'Test-MicrosoftEntraIDApplicationAccess'
)

# What a call by each of these names runs now, before this module defines its own (the name clash warning below,
# import/NameClash.ps1): the engine's lookup, from this scope while it has none of ours. Only what is loaded counts:
# module autoloading is off meanwhile, or the lookup searches the modules on disk, which cost an import 50-250 ms. The
# engine reads that preference from the global scope (a module's own is not consulted), so it is set there for the
# lookup and put back as it was.
$autoLoading = $ExecutionContext.SessionState.PSVariable.Get('global:PSModuleAutoLoadingPreference')
$autoLoadingWas = $null
if ($null -ne $autoLoading) { $autoLoadingWas = $autoLoading.Value }
$global:PSModuleAutoLoadingPreference = 'None'
$types = [System.Management.Automation.CommandTypes]'Alias, Function, Cmdlet'
try {
    $commandsBefore = foreach ($name in $script:EntraAuthCommandNames) { $ExecutionContext.InvokeCommand.GetCommand($name, $types) }
}
finally {
    $variables = $ExecutionContext.SessionState.PSVariable
    if ($null -eq $autoLoading) { $variables.Remove('global:PSModuleAutoLoadingPreference') }
    else { $global:PSModuleAutoLoadingPreference = $autoLoadingWas }
}

# <scripts> The module's scripts, in load order. The package joins them into its EntraAuth.psm1 in place of this block
# (build/moduleScript.mjs). A source checkout loads them as "npm run build" joined them the same way
# (bin/EntraAuth.joined.ps1: one file to read and parse) while that is newer than this file and every script; after an
# edit, one by one, so a changed script is never missed.
$scripts = @(
    'private/generated/ProtocolFacts.ps1'
    'private/errors/New-EntraAuthErrorRecord.ps1'
    'private/output/Get-EntraAuthDebugPreference.ps1'
    'private/import/NameClash.ps1'
    'private/core/CoreLocation.ps1'
    'private/core/PlainText.ps1'
    'private/core/JsonText.ps1'
    'private/core/RequestWriter.ps1'
    'private/core/ResponseReader.ps1'
    'private/core/CoreProcess.ps1'
    'private/core/Invoke-EntraAuthCore.ps1'
    'private/output/FormatData.ps1'
    'private/output/AuthorizationHeader.ps1'
    'private/output/ConvertTo-EntraAuthTokenObject.ps1'
    'private/output/Format-EntraAuthTokenFacts.ps1'
    'private/certificate/CertificateFile.ps1'
    'private/certificate/Find-EntraAuthCertificate.ps1'
    'private/certificate/CertificateCredential.ps1'
    'private/certificate/New-EntraAuthAssertionSignature.ps1'
    'private/certificate/CertificateFlow.ps1'
    'private/cache/RenewalTime.ps1'
    'private/cache/CanonicalTarget.ps1'
    'private/cache/TokenCache.ps1'
    'private/cache/CachedCall.ps1'
    'private/globals/RenewingGlobals.ps1'
    'private/network/SystemProxy.ps1'
    'private/request/DelegatedSignIn.ps1'
    'private/request/SavedCall.ps1'
    'private/request/TokenAcquisition.ps1'
    'private/diagnostics/DiagnosticCheck.ps1'
    'private/diagnostics/CertificateChecks.ps1'
    'private/diagnostics/Invoke-EntraAuthDiagnostics.ps1'
    'public/Build-MicrosoftEntraIDApplicationAccessHeader.ps1'
    'public/Get-MicrosoftEntraIDApplicationAccessToken.ps1'
    'public/Clear-MicrosoftEntraIDTokenCache.ps1'
    'public/Test-MicrosoftEntraIDApplicationAccess.ps1'
)
$joined = [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'EntraAuth.joined.ps1')
$fresh = [System.IO.File]::Exists($joined)
if ($fresh) {
    # A missing file reads as written in 1601: stale too.
    $joinedAt = [System.IO.File]::GetLastWriteTimeUtc($joined)
    foreach ($file in @($PSCommandPath) + $scripts) {
        $writtenAt = [System.IO.File]::GetLastWriteTimeUtc([System.IO.Path]::Combine($PSScriptRoot, $file))
        if ($writtenAt -ge $joinedAt -or $writtenAt.Year -le 1601) { $fresh = $false; break }
    }
}
if ($fresh) { . $joined }
else { foreach ($file in $scripts) { . (Join-Path -Path $PSScriptRoot -ChildPath $file) } }
# </scripts>

# Removing the module removes the read breakpoints of the renewing globals, whose action lives in this module, and ends
# its resident core (stdin closed: it exits; killed after a second if it does not) and that core's runspace-closing hook.
$ExecutionContext.SessionState.Module.OnRemove = { Unregister-EntraAuthRenewingGlobals; Unregister-EntraAuthCoreCleanup; Stop-EntraAuthCore -GraceMilliseconds 1000 }

# One warning when another EntraAuth (the Gallery's is a different module) or another command of one of these names is loaded.
$clash = Get-EntraAuthNameClash -ModuleScript $PSCommandPath -Command $commandsBefore
if ($clash) { Write-Warning -Message $clash }

Export-ModuleMember -Function $script:EntraAuthCommandNames

# The import's working variables go: every function of the module sees its scope, and none must find a leftover of the
# import there (test/pester/Module.Tests.ps1 lists what stays). The packaged psm1 has no loader block, so some of these
# never existed; removing a missing one does nothing.
foreach ($name in 'autoLoading', 'autoLoadingWas', 'types', 'commandsBefore', 'variables', 'scripts', 'joined', 'fresh',
    'joinedAt', 'file', 'writtenAt', 'clash') {
    $ExecutionContext.SessionState.PSVariable.Remove($name)
}
$ExecutionContext.SessionState.PSVariable.Remove('name')
