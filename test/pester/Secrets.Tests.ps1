# A secret passed as plain text never shows: not in child processes, streams, transcripts or displays.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $app = Get-TestApp -Name 'automation'
    $secret = $app.Secrets[1].value
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-secrets-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $work | Out-Null
}

AfterAll {
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'Child processes' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache }   # each test asks Entra, not the session cache
    It 'the core''s cmdline and environ never hold the secret during a call' {
        $secretFile = Join-Path $work 'secret.txt'
        [System.IO.File]::WriteAllText($secretFile, $secret)
        $stop = Join-Path $work 'stop'; $result = Join-Path $work 'result.json'; $ready = Join-Path $work 'ready'
        # node by path from the runner: in the packaged run it is not on PATH.
        $node = $env:ENTRAAUTH_TEST_NODE
        if (-not $node) { $node = (Get-Command node).Source }
        $watcher = Start-Process -FilePath $node -ArgumentList @("$PSScriptRoot/watch-processes.mjs", $secretFile, $stop, $result, $ready) -PassThru
        Wait-ProcessWatcherReady -Watcher $watcher -ReadyFile $ready
        # Keep the core alive long enough to be seen.
        Add-EmulatorFault -ClientId $app.ClientId -Responses @(@{ kind = 'delay'; ms = 800 }, @{ kind = 'delay'; ms = 800 })
        # The second call goes to a new core (the first is stopped): a core that has served requests and one fresh.
        Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret 6>$null | Out-Null
        $served = @(& (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id; Stop-EntraAuthCore })
        Get-MicrosoftEntraIDApplicationAccessToken -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -Force 6>$null | Out-Null
        $served += & (Get-Module EntraAuth) { $script:EntraAuthCoreSession.Process.Id }
        New-Item -ItemType File -Path $stop | Out-Null
        $watcher.WaitForExit(10000) | Should -BeTrue
        $report = Get-Content -Raw $result | ConvertFrom-Json
        $served[0] | Should -Not -Be $served[1]
        foreach ($corePid in $served) { $report.coreSeen | Should -Contain $corePid -Because 'the watcher must have seen both core processes, or it proves nothing' }
        $report.leaks | Should -BeNullOrEmpty
    }
}

Describe 'Streams and transcripts' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache }   # each test asks Entra, not the session cache
    It 'verbose and debug output carry no secret and no token' {
        $all = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.TenantId -ClientId $app.ClientId -ClientSecret $secret -Verbose -Debug *>&1
        $text = ($all | Out-String) + ($all | ForEach-Object { "$_" }) -join "`n"
        $text | Should -Match 'POST https://'
        $text | Should -Match 'expires'
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Not -Match ([regex]::Escape(($global:MicrosoftEntraIDAccessToken -split ' ')[1]))
    }

    It 'a transcript of bare calls, displays and a failure holds neither secret nor token' {
        $transcript = Join-Path $work 'transcript.txt'
        Start-Transcript -Path $transcript | Out-Null
        try {
            # What a runbook does: call bare, show the results, log an error.
            Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $app.TenantId -clientid $app.ClientId -clientSecret $secret | Out-Host
            Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret | Out-Host
            $h = Build-MicrosoftEntraIDApplicationAccessHeader $app.TenantId $app.ClientId $secret
            $t = Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret
            $h | Out-Host
            $t | Out-Host
            $h | Format-Table | Out-Host
            $h | Format-List | Out-Host
            $t | Format-Table | Out-Host
            $t | Format-List | Out-Host
            $h | Out-String | Out-Host
            Build-MicrosoftEntraIDApplicationAccessHeader $app.TenantId $app.ClientId $secret -Verbose 4>&1 | Out-Host
            try { Build-MicrosoftEntraIDApplicationAccessHeader $app.TenantId $app.ClientId "$secret-wrong" } catch { $_ | Out-Host }
        }
        finally { Stop-Transcript | Out-Null }
        $token = ($global:MicrosoftEntraIDAccessToken -split ' ')[1]
        $content = Get-Content -Raw $transcript
        $content | Should -Match 'Bearer \[redacted\]'
        $content | Should -Match 'AADSTS7000215'
        $content | Should -Not -Match ([regex]::Escape($secret))
        $content | Should -Not -Match ([regex]::Escape($token))
        $content | Should -Not -Match 'eyJ[\w-]{10,}\.[\w-]{10,}'
    }

    It 'the returned objects still hold the real values' {
        $h = Build-MicrosoftEntraIDApplicationAccessHeader $app.TenantId $app.ClientId $secret 6>$null
        $t = Get-MicrosoftEntraIDApplicationAccessToken $app.TenantId $app.ClientId $secret 6>$null
        $h['authorization'] | Should -Match '^Bearer eyJ'
        "Bearer $t" | Should -BeExactly $global:MicrosoftEntraIDAccessToken
        [string]$t | Should -Match '^eyJ'
        ($h | Out-String) | Should -Not -Match 'eyJ'
        ($t | Out-String) | Should -Not -Match 'eyJ'
    }

    It 'an error for a wrong secret does not echo the secret' {
        $wrong = "$secret-wrong"
        $record = $null
        try { Build-MicrosoftEntraIDApplicationAccessHeader $app.TenantId $app.ClientId $wrong } catch { $record = $_ }
        $record | Should -Not -BeNullOrEmpty
        ($record | Out-String) + $record.Exception.Message + ($record.Exception.Data.Values -join ' ') | Should -Not -Match ([regex]::Escape($wrong))
    }
}
