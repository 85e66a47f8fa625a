# $DebugPreference = 'Inquire' in a host that cannot prompt (this runner is pwsh -NonInteractive, as Azure Automation is):
# one call per flow, with Inquire inherited (what Windows PowerShell 5.1's -Debug sets inside a function) and with -Debug.
# The whole suite runs this way with: npm run test:pester -- -TestDebugPreference Inquire

BeforeDiscovery {
    $flows = @(
        @{ Flow = 'client secret' }
        @{ Flow = 'certificate, signed in the core' }
        @{ Flow = 'certificate, signed in PowerShell' }
        @{ Flow = 'refresh token' }
        @{ Flow = 'managed identity' }
        @{ Flow = 'workload identity' }
        @{ Flow = 'device code' }
    )
    $cases = foreach ($flow in $flows) { foreach ($debug in $false, $true) { $flow + @{ WithDebug = $debug } } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'NonExportableKey.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $automation = Get-TestApp -Name 'automation'
    $certificateApp = Get-TestApp -Name 'certificate-app'
    $publicCli = Get-TestApp -Name 'public-cli'
    $identities = (Get-EmulatorManagedIdentity).Fixture
    $certificate = New-TestCertificate -Subject 'CN=EntraAuth Pester inquire'
    Register-EmulatorCertificate -App $certificateApp -Certificate $certificate
    $tokenFile = Join-Path ([System.IO.Path]::GetTempPath()) ("entraauth-inquire-" + [guid]::NewGuid())
    $savedPreference = $global:DebugPreference

    function Get-FlowCall {
        # The parameters of one call of the flow, and the client the token must be for; sets up the emulator for it.
        param([Parameter(Mandatory)] [string] $Flow)
        switch ($Flow) {
            'client secret' { @{ Parameters = @{ TenantId = $automation.TenantId; ClientId = $automation.ClientId; ClientSecret = $automation.Secrets[0].value }; ClientId = $automation.ClientId } }
            'certificate, signed in the core' { @{ Parameters = @{ TenantId = $certificateApp.TenantId; ClientId = $certificateApp.ClientId; Certificate = $certificate }; ClientId = $certificateApp.ClientId; Signed = 'in the core' } }
            'certificate, signed in PowerShell' {
                Mock -ModuleName EntraAuth Get-EntraAuthRsaPrivateKey { New-NonExportableRsa -Certificate $Certificate }
                @{ Parameters = @{ TenantId = $certificateApp.TenantId; ClientId = $certificateApp.ClientId; Certificate = $certificate }; ClientId = $certificateApp.ClientId; Signed = 'in PowerShell' }
            }
            'refresh token' {
                $refresh = New-EmulatorRefreshToken -TenantId $publicCli.TenantId -ClientId $publicCli.ClientId
                @{ Parameters = @{ TenantId = $publicCli.TenantId; ClientId = $publicCli.ClientId; RefreshToken = $refresh }; ClientId = $publicCli.ClientId }
            }
            'managed identity' { @{ Parameters = @{ ManagedIdentity = $true; Scope = 'https://management.azure.com' }; ClientId = $identities.systemAssigned.clientId } }
            'workload identity' {
                [System.IO.File]::WriteAllText($tokenFile, (New-EmulatorFederatedToken -Subject 'system:serviceaccount:automation:runner'))
                @{ Parameters = @{ TenantId = $automation.TenantId; ClientId = $automation.ClientId; FederatedTokenFile = $tokenFile }; ClientId = $automation.ClientId }
            }
            'device code' {
                Set-EmulatorDeviceCodePlan -ClientId $publicCli.ClientId -TenantId $publicCli.TenantId
                @{ Parameters = @{ DeviceCode = $true; TenantId = $publicCli.TenantId; ClientId = $publicCli.ClientId; TimeoutSec = 60 }; ClientId = $publicCli.ClientId }
            }
        }
    }
}

AfterAll {
    $global:DebugPreference = $savedPreference
    Remove-Item -LiteralPath $tokenFile -ErrorAction SilentlyContinue
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'DebugPreference Inquire under -NonInteractive' {
    BeforeAll {
        # The seam works only where prompting fails: in this runner (pwsh -NonInteractive) Inquire cannot be answered.
        $global:DebugPreference = 'Inquire'
        try { Write-Debug -Message 'EntraAuth test: can this host prompt?'; $canPrompt = $true } catch { $canPrompt = $false }
        $global:DebugPreference = $savedPreference
    }
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }
    AfterEach { $global:DebugPreference = $savedPreference }

    It 'this host cannot prompt, so an Inquire that reaches Write-Debug fails here' {
        $canPrompt | Should -BeFalse -Because 'the runner runs pwsh -NonInteractive, as Azure Automation cannot prompt'
    }

    It '<Flow>, -Debug: <WithDebug>: a token, and the debug lines written, not asked about' -ForEach $cases {
        $call = Get-FlowCall -Flow $Flow
        $parameters = $call.Parameters
        if ($WithDebug) { $parameters.Debug = $true }
        # Module functions see the global preference, never the test's own scope: as in 5.1, where -Debug sets it in the function.
        $global:DebugPreference = 'Inquire'
        try { $all = @(Get-MicrosoftEntraIDApplicationAccessToken @parameters -Verbose 5>&1 4>&1 6>$null) }
        finally { $global:DebugPreference = $savedPreference }
        $token = $all | Where-Object { $_.PSObject.TypeNames -contains 'EntraAuth.AccessToken' }
        @($token).Count | Should -Be 1
        (Test-EmulatorToken -Authorization "Bearer $token").appId | Should -Be $call.ClientId
        $debug = @($all | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        $debug.Count | Should -BeGreaterThan 0 -Because 'Inquire becomes Continue, so debug output is shown'
        if ($call.Signed) { ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n" | Should -Match "signed $($call.Signed) with RS256" }
    }

    It 'a renewal by the renewing globals'' breakpoint, outside the cmdlets, under an inherited Inquire' {
        $first = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $automation.TenantId -ClientId $automation.ClientId -ClientSecret $automation.Secrets[0].value 6>$null
        $global:DebugPreference = 'Inquire'
        # The module's clock 3400 s on: past the renewal time of the emulator's 3599 s token, so the read renews it.
        Set-EntraAuthTestClock -OffsetSec 3400
        try { $all = @(& { $global:MicrosoftEntraIDAccessToken } 3>&1 5>&1) }
        finally {
            $global:DebugPreference = $savedPreference
            Set-EntraAuthTestClock -OffsetSec 0
        }
        @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) | Should -BeNullOrEmpty
        $read = @($all | Where-Object { $_ -is [string] })
        $read | Should -HaveCount 1
        $read[0] | Should -Not -Be "Bearer $first" -Because 'the read renewed the token'
        @($all | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 0
        @(Get-EmulatorTokenRequests -ClientId $automation.ClientId).status | Should -Be @(200, 200)
    }

    It 'Get-EntraAuthDebugPreference: Inquire becomes Continue, every other preference stays' {
        InModuleScope EntraAuth {
            Get-EntraAuthDebugPreference -Preference Inquire | Should -Be ([System.Management.Automation.ActionPreference]::Continue)
            foreach ($preference in 'SilentlyContinue', 'Continue', 'Stop', 'Ignore') { Get-EntraAuthDebugPreference -Preference $preference | Should -Be $preference }
        }
    }
}
