# The authorization header: a real Hashtable with one key that displays redacted (see EntraAuth.format.ps1xml).

function New-EntraAuthHeader {
    <#
    .SYNOPSIS
        @{ Authorization = $Value } with the type name of the redacting view, and its expiry for that view.
    .DESCRIPTION
        pwsh 7 only looks up a view for a Hashtable that has an extended property (PowerShell issue 25832). That
        property is named Authorization and reads and writes the key, so $h.Authorization stays the key's value, and
        ConvertTo-Json, which skips an extended property named like a key, writes exactly {"Authorization": ...} as
        for the seed's header. The expiry is a script method: only properties are serialised.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)] [string] $Value,
        [Parameter(Mandatory)] [datetime] $ExpiresOn
    )
    $header = @{ Authorization = $Value }
    $read = { $this['Authorization'] }
    $write = { $this['Authorization'] = $args[0] }
    Add-Member -InputObject $header -MemberType ScriptProperty -Name 'Authorization' -Value $read -SecondValue $write
    Set-EntraAuthHeaderExpiry -Header $header -ExpiresOn $ExpiresOn
    $header.PSObject.TypeNames.Insert(0, 'EntraAuth.AuthorizationHeader')
    $header
}

function Copy-EntraAuthHeader {
    # A new header for a cache entry: a copy of the one built for the entry the first time (PSObject.Copy: the
    # hashtable cloned with its members and type name), so a cached call adds no members. Each call gets its own
    # hashtable, as the seed's did: a caller that adds a key to it changes only its own. Every call of Build- runs
    # this, so it is a simple function, and the entry keeps the prototype's PSObject (reading .psobject costs as much
    # as the copy); the [hashtable] cast is the bare copy (its members stay with it), as New-EntraAuthHeader returns
    # it: a PSObject wrapper would show differently, e.g. in Write-Host.
    param([hashtable] $Entry)
    $prototype = $Entry.Header
    if ($null -eq $prototype) {
        $prototype = (New-EntraAuthHeader -Value $Entry.Value -ExpiresOn $Entry.Token.ExpiresOn).psobject
        $Entry.Header = $prototype
    }
    [hashtable]$prototype.Copy()
}

function Set-EntraAuthHeaderExpiry {
    # The expiry the redacting view shows ($h.GetExpiresOn()); set again when the renewing globals renew the header.
    param([Parameter(Mandatory)] [hashtable] $Header, [Parameter(Mandatory)] [datetime] $ExpiresOn)
    $expiry = { $ExpiresOn }.GetNewClosure()
    Add-Member -InputObject $Header -MemberType ScriptMethod -Name 'GetExpiresOn' -Value $expiry -Force
}
