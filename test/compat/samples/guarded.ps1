# The same 7-only uses behind a feature probe or in a try with a catch: each line marked "guarded: <text>" must be
# reported guarded with <text> in the finding; a line without a mark must have no finding.
param([System.Security.Cryptography.RSA] $Key, [string] $Text)

try { $der = $Key.ExportPkcs8PrivateKey() } catch { $der = $null } # guarded: RSA.ExportPkcs8PrivateKey
if ($null -ne $Key.PSObject.Methods['ExportPkcs8PrivateKey']) { $der = $Key.ExportPkcs8PrivateKey() } # guarded: RSA.ExportPkcs8PrivateKey
$startInfo = [System.Diagnostics.ProcessStartInfo]::new()
if ($PSVersionTable.PSVersion.Major -ge 6) { $startInfo.ArgumentList.Add('--serve') } else { $startInfo.Arguments = '--serve' } # guarded: ProcessStartInfo.ArgumentList
if ($PSEdition -eq 'Core') { $data = '{}' | ConvertFrom-Json -AsHashtable } # guarded: ConvertFrom-Json -AsHashtable
if ((Get-Command -Name ConvertFrom-Json).Parameters.ContainsKey('AsHashtable')) { $data = '{}' | ConvertFrom-Json -AsHashtable } # guarded: ConvertFrom-Json -AsHashtable
if ($PSVersionTable.PSVersion.Major -ge 7) { $parts = $Text.Split(', ') } else { $parts = $Text -split ', ' } # guarded: Split(string) does not exist
if ($PSVersionTable.PSVersion.Major -ge 7) { 1..3 | ForEach-Object -Parallel { $_ } } # guarded: ForEach-Object -Parallel
$handlerType = 'System.Net.Http.SocketsHttpHandler' -as [type]
if ($null -ne $handlerType) { $handler = [System.Net.Http.SocketsHttpHandler]::new() } # guarded: [System.Net.Http.SocketsHttpHandler]
$handler = $Key -as [System.Net.Http.SocketsHttpHandler] # guarded: [System.Net.Http.SocketsHttpHandler]
if ($null -ne [System.Convert].GetMethod('ToHexString', [type[]]@([byte[]]))) { $hex = [System.Convert]::ToHexString($der) } # guarded: ToHexString
if ($IsLinux -or $IsMacOS) { $where = 'unix' } # guarded: variable $IsLinux | guarded: variable $IsMacOS
if ($PSVersionTable.PSVersion.Major -ge 6 -and $IsWindows) { $where = 'windows' } # guarded: variable $IsWindows
switch ($PSEdition) { 'Core' { $data = '{}' | ConvertFrom-Json -AsHashtable } default { $data = @{} } } # guarded: ConvertFrom-Json -AsHashtable

function Test-Executable {
    param([string] $Path)
    $modeType = 'System.IO.UnixFileMode' -as [type]
    if ($null -eq $modeType) { return $true }
    $mode = [System.IO.File]::GetUnixFileMode($Path) # guarded: System.IO.File has no static member GetUnixFileMode
    try { [System.IO.File]::SetUnixFileMode($Path, $mode) } catch { return $false } # guarded: SetUnixFileMode
    $true
}
$onUnix = -not $IsLinux # guarded: variable $IsLinux
Get-ChildItem -Recurse:$IsMacOS # guarded: variable $IsMacOS
