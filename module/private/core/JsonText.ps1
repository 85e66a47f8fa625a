# JSON text of a request for the request writer (RequestWriter.ps1), written here rather than by ConvertTo-Json: that
# cmdlet's first use costs a fresh session's first call about 50 ms, before the request can go out. The text is what
# ConvertTo-Json -Compress writes in PowerShell 7 (the protocol fixtures hold it to that), and valid JSON the core reads
# alike from Windows PowerShell 5.1.

function ConvertTo-EntraAuthJsonString {
    # A JSON string: quote and backslash escaped, the control characters (and U+0085, U+2028, U+2029, which JavaScript
    # reads as line ends) as \b \t \n \f \r or \u00XX, as ConvertTo-Json writes them; everything else as it is.
    param([string] $Text)
    $escaped = $Text.Replace('\', '\\').Replace('"', '\"').Replace("`n", '\n').Replace("`r", '\r').Replace("`t", '\t')
    if ($null -eq $script:EntraAuthJsonControls) {
        $script:EntraAuthJsonControls = [char[]]@((0..31) + 0x85, 0x2028, 0x2029)
    }
    if ($escaped.IndexOfAny($script:EntraAuthJsonControls) -ge 0) {
        $builder = [System.Text.StringBuilder]::new($escaped.Length + 16)
        foreach ($character in $escaped.ToCharArray()) {
            $code = [int]$character
            if ($code -eq 8) { [void]$builder.Append('\b') }
            elseif ($code -eq 12) { [void]$builder.Append('\f') }
            elseif ($code -lt 32 -or $code -eq 0x85 -or $code -eq 0x2028 -or $code -eq 0x2029) {
                [void]$builder.Append('\u').Append($code.ToString('x4'))
            }
            else { [void]$builder.Append($character) }
        }
        $escaped = $builder.ToString()
    }
    '"' + $escaped + '"'
}

function ConvertTo-EntraAuthJsonText {
    # A wire value (ConvertTo-EntraAuthWireValue's: null, strings, booleans, whole numbers, ordered dictionaries,
    # arrays) as compact JSON; any other value, which no request field has today, as ConvertTo-Json writes it.
    param([object] $Value)
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [string]) { return ConvertTo-EntraAuthJsonString -Text $Value }
    if ($Value -is [bool]) {
        if ($Value) { return 'true' }
        return 'false'
    }
    # A cast to string formats a number with the invariant culture.
    if ($Value -is [int] -or $Value -is [long]) { return [string]$Value }
    if ($Value -is [System.Collections.IDictionary]) {
        $members = foreach ($key in $Value.Keys) {
            $name = ConvertTo-EntraAuthJsonString -Text ([string]$key)
            $name + ':' + (ConvertTo-EntraAuthJsonText -Value $Value[$key])
        }
        return '{' + ($members -join ',') + '}'
    }
    if ($Value -is [array]) {
        $items = foreach ($item in $Value) { ConvertTo-EntraAuthJsonText -Value $item }
        return '[' + ($items -join ',') + ']'
    }
    ConvertTo-Json -InputObject $Value -Compress -Depth 6
}
