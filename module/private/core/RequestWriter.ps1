# The one writer of the module's side of the protocol: a request as one JSON line on the core's stdin.

function ConvertTo-EntraAuthWireValue {
    # A request value as plain .NET data for the JSON writer: the base object of anything PowerShell decorated (a
    # string from Get-Content carries PSPath and other notes, which Windows PowerShell 5.1's ConvertTo-Json writes
    # as {"value":...,"PSPath":...}), dictionaries and lists element by element, SecureStrings and RSA keys as text.
    param([object] $Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Management.Automation.PSObject]) { $Value = $Value.psobject.BaseObject }
    if ($Value -is [securestring] -or $Value -is [System.Security.Cryptography.RSA]) { return [string](ConvertTo-EntraAuthPlainText -Value $Value) }
    if ($Value -is [string] -or $Value -is [System.ValueType]) { return $Value }
    if ($Value -is [System.Collections.IDictionary]) {
        $copy = [ordered]@{}
        foreach ($key in @($Value.Keys)) { $copy[[string](ConvertTo-EntraAuthWireValue -Value $key)] = ConvertTo-EntraAuthWireValue -Value $Value[$key] }
        return $copy
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $Value) { $items.Add((ConvertTo-EntraAuthWireValue -Value $item)) }
        return , $items.ToArray()
    }
    $Value
}

function ConvertTo-EntraAuthRequestLine {
    # The one writer of the core's requests: {"id":<n>,"protocolVersion":<v>, ...} as one line of UTF-8 bytes, id
    # first (the core can answer a line whose rest it cannot read by that id), the version from the protocol table
    # (generated/ProtocolFacts.ps1), every value unwrapped to its base object. A field the table does not list is a
    # bug here: refused before anything is sent (the core would refuse it too).
    param([Parameter(Mandatory)] [int] $Id, [Parameter(Mandatory)] [hashtable] $Request)
    $payload = [ordered]@{ id = $Id; protocolVersion = $script:EntraAuthProtocolVersion }
    foreach ($key in $Request.Keys) {
        if ($key -eq 'protocolVersion') { continue }
        if ($script:EntraAuthRequestFields -cnotcontains [string]$key) {
            throw (New-EntraAuthErrorRecord -Code 'ERR_INTERNAL' -Message "EntraAuth built a request with the field '$key', which the protocol table does not list; nothing was sent." -Hint 'Reinstall the EntraAuth module; if it happens again, run with -Debug and report the issue.')
        }
        $payload[[string]$key] = ConvertTo-EntraAuthWireValue -Value $Request[$key]
    }
    try { [System.Text.UTF8Encoding]::new($false).GetBytes((ConvertTo-EntraAuthJsonText -Value $payload) + "`n") }
    finally { $payload = $null }
}

function Send-EntraAuthCoreRequest {
    # Writes one request line to the core's stdin as UTF-8 bytes on the base stream (every edition, any code page).
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [byte[]] $Bytes)
    $stream = $Session.Process.StandardInput.BaseStream
    $stream.Write($Bytes, 0, $Bytes.Length)
    $stream.Flush()
}

function Send-EntraAuthCoreLine {
    # Sends request $Id's bytes to the session's core (Start-EntraAuthCore started it); once, transparently, to a new
    # core when the pipe of the old one is broken (it went away between calls). Returns the session that has the request.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [int] $Id, [Parameter(Mandatory)] [byte[]] $Bytes)
    try { Send-EntraAuthCoreRequest -Session $Session -Bytes $Bytes }
    catch [System.IO.IOException] {
        Write-Verbose -Message "The EntraAuth core (pid $($Session.Process.Id)) could not be reached ($($_.Exception.Message)); starting a new one."
        $Session = Start-EntraAuthCoreFor -Id $Id -Replace
        Send-EntraAuthCoreRequest -Session $Session -Bytes $Bytes
    }
    $Session
}
