# What Windows PowerShell 5.1 lacks, unguarded: each line marked "missing: <text>" must be reported missing with
# <text> in the finding (several marks are separated by " | "); a line without a mark must have no finding.
param([System.Security.Cryptography.RSA] $Key, [string] $Text, [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate)

# .NET members that .NET Framework 4.8 does not have, on receivers whose type the script states.
$der = $Key.ExportPkcs8PrivateKey() # missing: RSA.ExportPkcs8PrivateKey
$fromStore = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
$der = $fromStore.ExportPkcs8PrivateKey() # missing: RSA.ExportPkcs8PrivateKey
$startInfo = [System.Diagnostics.ProcessStartInfo]::new()
$startInfo.ArgumentList.Add('--serve') # missing: ProcessStartInfo.ArgumentList
$pem = $Certificate.ExportCertificatePem() # missing: X509Certificate2.ExportCertificatePem
$builder = New-Object -TypeName System.Text.StringBuilder
[void]$builder.AppendJoin(',', 'a', 'b') # missing: StringBuilder.AppendJoin
$cast = ([string]$der).Contains('a', [StringComparison]::Ordinal) # missing: no overload of System.String.Contains takes 2
$hex = [System.Convert]::ToHexString($der) # missing: System.Convert has no static member ToHexString
$joined = [System.IO.Path]::Join('a', 'b') # missing: System.IO.Path has no static member Join
$text = [System.Text.Encoding]::UTF8.GetString($der, 0) # missing: no overload of System.Text.Encoding.GetString takes 2
$digest = [System.Security.Cryptography.SHA256]::HashData($der) # missing: HashData
$handler = [System.Net.Http.SocketsHttpHandler]::new() # missing: [System.Net.Http.SocketsHttpHandler]
$timer = New-Object System.Threading.PeriodicTimer -ArgumentList ([TimeSpan]::FromSeconds(1)) # missing: New-Object type [System.Threading.PeriodicTimer]
$mode = [System.IO.UnixFileMode]::UserExecute # missing: [System.IO.UnixFileMode]
$version = [semver]'1.0.0' # missing: [semver]
$watch = [System.Diagnostics.Stopwatch]::new(5) # missing: no constructor of System.Diagnostics.Stopwatch takes these 1
$watch = New-Object System.Diagnostics.Stopwatch -ArgumentList 5 # missing: New-Object System.Diagnostics.Stopwatch: no constructor takes these 1

# String overloads that differ: .NET Framework has Split(params char[]) and no Split(string), no Contains(char).
$parts = $Text.Split(', ') # missing: Split(string) does not exist
$parts = 'a::b'.Split([string]'::') # missing: Split(string) does not exist
$has = $Text.Contains([char]'a') # missing: no overload of System.String.Contains takes (Char)
$starts = $Text.StartsWith([char]'a') # missing: no overload of System.String.StartsWith takes (Char)

# Commands and parameters of PowerShell 6 and 7.
$data = '{}' | ConvertFrom-Json -AsHashtable # missing: ConvertFrom-Json -AsHashtable
$data = '{}' | ConvertFrom-Json -Depth 5 # missing: ConvertFrom-Json -Depth
$bytes = Get-Content -Path $Text -AsByteStream # missing: Get-Content -AsByteStream
$json = ConvertTo-Json -InputObject $data -EscapeHandling EscapeNonAscii -AsArray # missing: ConvertTo-Json -EscapeHandling | missing: ConvertTo-Json -AsArray
$line = 'a', 'b' | Join-String -Separator ',' # missing: command Join-String
$valid = Test-Json -Json '{}' # missing: command Test-Json
Get-Error # missing: command Get-Error
$job = Start-ThreadJob -ScriptBlock { 1 } # missing: command Start-ThreadJob
$answer = Invoke-RestMethod -Uri 'https://127.0.0.1/' -SkipCertificateCheck -Authentication Bearer # missing: Invoke-RestMethod -SkipCertificateCheck | missing: Invoke-RestMethod -Authentication
$splat = @{ Uri = 'https://127.0.0.1/'; SkipHttpErrorCheck = $true }
$answer = Invoke-WebRequest @splat # missing: Invoke-WebRequest -SkipHttpErrorCheck
1..3 | ForEach-Object -Parallel { $_ } # missing: ForEach-Object -Parallel
1..3 | % -Parallel { $_ } -ThrottleLimit 2 # missing: ForEach-Object -Parallel | missing: ForEach-Object -ThrottleLimit
Write-Output 1 -ProgressAction SilentlyContinue # missing: common parameter -ProgressAction

# Variables of PowerShell 6 and 7.
if ($IsWindows) { $where = 'windows' } # missing: variable $IsWindows
$style = $PSStyle.Reset # missing: variable $PSStyle
$ErrorView = 'ConciseView' # missing: $ErrorView value 'ConciseView'

# Syntax that only PowerShell 7's parser knows: 5.1 cannot load the file at all, so even a probe does not guard it.
$a = $b ?? 'default' # missing: null-coalescing operator ??
$a ??= 1 # missing: null-coalescing assignment ??=
$a = ${b}?.Name # missing: null-conditional member access ?.
$a = ${b}?[0] # missing: null-conditional index ?[]
git status && git log # missing: pipeline chain && or ||
git status || exit 1 # missing: pipeline chain && or ||
$a = $b ? 1 : 2 # missing: ternary operator ?:
function f { process { 1 } clean { 2 } } # missing: clean block
Get-Date & # missing: background operator &
$a = 'abc' -replace 'b', { $_.Value.ToUpper() } # missing: -replace with a script block
if ($PSVersionTable.PSVersion.Major -ge 7) { $a = $b ?? 'default' } # missing: null-coalescing operator ??
$empty = [Array]::Empty[string]() # missing: generic method call Method[T]()
$flags = 0b1010 # missing: numeric literal 0b1010
$small = 12uy # missing: numeric literal 12uy
$big = 10n # missing: numeric literal 10n
