# The authorization header: a real Hashtable that displays redacted (see EntraAuth.format.ps1xml).

function New-EntraAuthHeader {
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)] [string] $Value,
        [Parameter(Mandatory)] [datetime] $ExpiresOn
    )
    $header = @{ Authorization = $Value }
    # pwsh 7 only looks up a view for a Hashtable that has an extended property (PowerShell issue 25832).
    Add-Member -InputObject $header -NotePropertyName 'ExpiresOn' -NotePropertyValue $ExpiresOn
    $header.PSObject.TypeNames.Insert(0, 'EntraAuth.AuthorizationHeader')
    $header
}
