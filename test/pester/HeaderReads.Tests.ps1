# Findings 10 and 14 (issue 12): which reads of the header and token show the token, and the header serialises to one key.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $app = Get-TestApp -Name 'automation'
    $secret = $app.Secrets[1].value
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-reads-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $work | Out-Null
    $header = Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $app.TenantId -clientid $app.ClientId -clientSecret $secret 6>$null
    $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret 6>$null
    $accessToken = [string]$token
    $accessToken | Should -Match '^eyJ'

    function Get-SentHeaders {
        # The header lines Invoke-RestMethod sends with -Headers $Headers, as a loopback listener reads them.
        param([Parameter(Mandatory)] [System.Collections.IDictionary] $Headers)
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $job = Start-ThreadJob -ScriptBlock { Invoke-RestMethod -Uri "http://127.0.0.1:$using:port/echo" -Headers $using:Headers -TimeoutSec 10 }
            $accept = $listener.AcceptTcpClientAsync()
            if (-not $accept.Wait(10000)) { throw 'Invoke-RestMethod did not connect within 10 s' }
            $client = $accept.Result
            $stream = $client.GetStream()
            $reader = New-Object System.IO.StreamReader($stream, [System.Text.Encoding]::ASCII)
            $lines = @()
            while ($true) {
                $line = $reader.ReadLine()
                if ($null -eq $line -or $line -eq '') { break }
                $lines += $line
            }
            $answer = [System.Text.Encoding]::ASCII.GetBytes("HTTP/1.1 200 OK`r`nContent-Type: application/json`r`nContent-Length: 2`r`nConnection: close`r`n`r`n{}")
            $stream.Write($answer, 0, $answer.Length)
            $client.Dispose()
            [void](Wait-Job $job -Timeout 10)
            Remove-Job $job -Force
            $lines | Select-Object -Skip 1
        }
        finally { $listener.Stop() }
    }
}

AfterAll {
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
}

Describe 'finding 14: the header serialises to exactly one key' {
    It 'finding 14: ConvertTo-Json of the header gives exactly {"Authorization": "..."}' {
        $expected = '{"Authorization":"' + $header['Authorization'] + '"}'
        ($header | ConvertTo-Json -Compress) | Should -BeExactly $expected
        (ConvertTo-Json -InputObject $header -Compress) | Should -BeExactly $expected
        @(($header | ConvertTo-Json | ConvertFrom-Json).PSObject.Properties.Name) | Should -Be @('Authorization')
    }

    It 'finding 14: Export-Clixml and Import-Clixml give back one key, which serialises to one key again' {
        $file = Join-Path $work 'header.xml'
        $header | Export-Clixml -LiteralPath $file
        $back = Import-Clixml -LiteralPath $file
        @($back.Keys) | Should -Be @('Authorization')
        $back['Authorization'] | Should -BeExactly $header['Authorization']
        ($back | ConvertTo-Json -Compress) | Should -BeExactly ('{"Authorization":"' + $header['Authorization'] + '"}')
        ($back | Out-String) | Should -Not -Match ([regex]::Escape($accessToken))
    }

    It 'finding 14: a header kept as JSON and read back sends only Authorization' {
        $kept = $header | ConvertTo-Json | ConvertFrom-Json -AsHashtable
        $sent = Get-SentHeaders -Headers $kept
        @($sent | Where-Object { $_ -like 'Authorization:*' }) | Should -Be @("Authorization: $($header['Authorization'])")
        @($sent | Where-Object { $_ -like 'ExpiresOn:*' }) | Should -HaveCount 0
        @(Get-SentHeaders -Headers $header | Where-Object { $_ -notmatch '^(Host|User-Agent|Accept-Encoding|Connection|Content-Length):' }) | Should -Be @("Authorization: $($header['Authorization'])")
        # -Debug:$false: PowerShell's own cmdlet would prompt in the run with DebugPreference Inquire.
        (Invoke-RestMethod -Uri "$(Get-EmulatorUrl)/_emulator/api/me" -Headers $kept -Debug:$false).appId | Should -Be $app.ClientId
    }

    It 'finding 14: the display stays redacted, with the expiry' {
        ($header | Out-String) | Should -Match 'Authorization\s+Bearer \[redacted\] \(expires \d{4}-\d\d-\d\d \d\d:\d\d UTC\)'
        ($header | Out-String) | Should -Not -Match ([regex]::Escape($accessToken))
        $header.GetExpiresOn() | Should -Be $token.ExpiresOn
    }
}

Describe 'finding 10: which reads give the token' {
    BeforeDiscovery {
        # Each read of the table in docs/return-values.md ("Which reads give the token"): shows the token, or not.
        $reads = @(
            @{ read = '$h (a bare call, Out-Default)'; shows = $false; run = { $header | Out-String -Width 100000 } }
            @{ read = '$h | Format-Table / Format-List / Format-Wide / Format-Custom'; shows = $false; run = { ($header | Format-Table | Out-String -Width 100000) + ($header | Format-List | Out-String -Width 100000) + ($header | Format-Wide | Out-String -Width 100000) + ($header | Format-Custom | Out-String -Width 100000) } }
            @{ read = '$token (a bare call), Format-List, Format-Table'; shows = $false; run = { ($token | Out-String -Width 100000) + ($token | Format-List | Out-String -Width 100000) + ($token | Format-Table | Out-String -Width 100000) } }
            @{ read = '$token | Select-Object *, Format-List *, ConvertTo-Json, Export-Clixml'; shows = $false; run = { ($token | Select-Object * | Out-String -Width 100000) + ($token | Format-List * | Out-String -Width 100000) + ($token | ConvertTo-Json) + [System.Management.Automation.PSSerializer]::Serialize($token) } }
            @{ read = '"$h", Write-Verbose $h, Write-Information $h'; shows = $false; run = { "$header"; Write-Verbose $header -Verbose 4>&1 | Out-String -Width 100000; Write-Information $header 6>&1 | Out-String -Width 100000 } }
            @{ read = 'Invoke-RestMethod -Headers $h, -Headers ($h + @{...}), $h.Clone()'; shows = $true; run = { ($header + @{ 'ConsistencyLevel' = 'eventual' })['Authorization'] } }
            @{ read = '$h.Authorization, $h[''Authorization'']'; shows = $true; run = { $header.Authorization; $header['Authorization'] } }
            @{ read = '"Bearer $token", [string]$token, $token.ToString()'; shows = $true; run = { "Bearer $token"; [string]$token; $token.ToString() } }
            @{ read = 'Write-Verbose "$token", Write-Host $token, Write-Information $token'; shows = $true; run = { Write-Verbose "$token" -Verbose 4>&1 | Out-String -Width 100000; Write-Host $token 6>&1 | Out-String -Width 100000; Write-Information $token 6>&1 | Out-String -Width 100000 } }
            @{ read = 'Write-Host $h'; shows = $true; run = { Write-Host $header 6>&1 | Out-String -Width 100000 } }
            @{ read = '$h.GetEnumerator(), $h.Values, $h | Select-Object *, Format-List *'; shows = $true; run = { ($header.GetEnumerator() | Out-String -Width 100000) + ($header | Select-Object * | Out-String -Width 100000) } }
            @{ read = 'a splat table, [pscustomobject] or Get-Variable holding $h or $token'; shows = $true; run = { (@{ Uri = 'https://graph.microsoft.com'; Headers = $header } | Out-String -Width 100000) + ([pscustomobject]@{ Headers = $header; Token = $token } | Out-String -Width 100000) + (Get-Variable header, token | Out-String -Width 100000) } }
            @{ read = '$h | ConvertTo-Json, Export-Clixml'; shows = $true; run = { $header | ConvertTo-Json } }
            @{ read = '$global:MicrosoftEntraIDAccessToken (a string, as in the seed)'; shows = $true; run = { $global:MicrosoftEntraIDAccessToken | Out-String -Width 100000 } }
        )
    }

    It 'finding 10: <read> shows the token: <shows>' -ForEach $reads {
        $text = (& $run 6>&1 4>&1 | Out-String -Width 100000)
        $text.Contains($accessToken) | Should -Be $shows
    }

    It 'finding 10: a transcript of the accidental reads holds no token' {
        $transcript = Join-Path $work 'reads.txt'
        Start-Transcript -LiteralPath $transcript | Out-Null
        try {
            $header | Out-Host
            $token | Out-Host
            $header | Format-List | Out-Host
            $token | Select-Object * | Out-Host
            Write-Verbose $header -Verbose
        }
        finally { Stop-Transcript | Out-Null }
        $content = Get-Content -Raw -LiteralPath $transcript
        $content | Should -Match 'Bearer \[redacted\]'
        $content.Contains($accessToken) | Should -BeFalse
    }

    # The packaged run stages docs/ beside the tests too (build/packagedStage.mjs), so this runs in both runs.
    It 'finding 10: docs/return-values.md lists every read with what it shows' -ForEach $reads {
        $page = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../../docs/return-values.md')
        # Markdown tables need | escaped inside code spans.
        $row = '| `' + ($read -replace '\|', '\|') + '` | ' + $(if ($shows) { 'yes' } else { 'no' }) + ' |'
        $page.Contains($row) | Should -BeTrue -Because "the table of docs/return-values.md must have the row $row"
    }
}
