# The Windows PowerShell 5.1 way of writing the same things: the check must report nothing here.
param([System.Security.Cryptography.RSA] $Key, [string] $Text)

if ($null -eq $b) { $a = 'default' } else { $a = $b }
git status; if ($?) { git log }
$parts = 'a,b'.Split(',')
$parts = $Text.Split([char[]]@(',', ';'))
$parts = $Text -split ', '
$has = $Text.Contains('a')
$starts = $Text.StartsWith('a', [StringComparison]::Ordinal)
$startInfo = [System.Diagnostics.ProcessStartInfo]::new()
$startInfo.Arguments = '--serve'
$startInfo.RedirectStandardInput = $true
$process = [System.Diagnostics.Process]::new()
$process.StartInfo = $startInfo
$builder = New-Object System.Text.StringBuilder
[void]$builder.Append('a').Append([char]0).AppendFormat('{0}', 1)
$store = New-Object System.Security.Cryptography.X509Certificates.X509Store -ArgumentList 'My', 'CurrentUser'
$store.Close()
$set = [System.Collections.Generic.SortedSet[string]]::new([System.StringComparer]::Ordinal)
[void]$set.Add('a')
$credential = [System.Net.NetworkCredential]::new('', 'secret').SecurePassword
$signature = $Key.SignData([byte[]]@(1), [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
$data = ConvertFrom-Json -InputObject '{}'
$request = [ordered]@{ id = 1 }
$request['flow'] = 'clientSecret'
$numbers = 0x1F, 10kb, 5L, 1.5d, 1e3
$json = ConvertTo-Json -InputObject $data -Depth 4 -Compress
$content = Get-Content -LiteralPath $Text -Raw -Encoding UTF8
$list = New-Object System.Collections.Generic.List[string]
$list.Add('a')
$names = 1..3 | ForEach-Object { $_ } | Where-Object { $_ -gt 1 } | Select-Object -First 1
$now = [DateTime]::UtcNow.AddSeconds(10).ToString('o')
$full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Text)
$listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
$port = $listener.LocalEndpoint.Port
$endpoint = $listener.LocalEndpoint
$port = $endpoint.Port
