# The redacting views (EntraAuth.format.ps1xml) are loaded at the first token request, while the core works on it, not
# at import: starting PowerShell's formatting system is the largest part of an import, and an import that never asks
# for a token has nothing of ours to show.

$script:EntraAuthFormatDataLoaded = $false

function Import-EntraAuthFormatData {
    # Once per module instance; loading the file again (a new instance in the same session) replaces it, no error.
    if ($script:EntraAuthFormatDataLoaded) { return }
    $script:EntraAuthFormatDataLoaded = $true
    $path = [System.IO.Path]::Combine($script:EntraAuthModuleRoot, 'EntraAuth.format.ps1xml')
    try { Update-FormatData -AppendPath $path }
    catch {
        Write-Warning -Message ("EntraAuth could not load its redacting views ($($_.Exception.Message)): " +
            'do not display its headers and tokens.')
    }
}
