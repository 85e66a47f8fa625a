# -DeviceCode: the instruction on the host (never in the output), approval, decline, expiry, slow_down, time limit, cache.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $azureCli = Get-TestApp -Name 'azure-cli'
    $graphTools = Get-TestApp -Name 'microsoft-graph-command-line-tools'
    $azurePowerShell = Get-TestApp -Name 'azure-powershell'
    $publicCli = Get-TestApp -Name 'public-cli'
    $automation = Get-TestApp -Name 'automation'
}

AfterAll { Remove-Module EntraAuth -ErrorAction SilentlyContinue }

Describe 'Device code sign-in' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache; Reset-Emulator }

    It 'defaults to the Microsoft Graph Command Line Tools client on organizations (User.Read.All: no AADSTS65002), shows the instruction on the host and returns only the header' {
        Set-EmulatorDeviceCodePlan -ClientId $graphTools.ClientId -AfterPolls 2 -TenantId $graphTools.TenantId
        $all = Build-MicrosoftEntraIDApplicationAccessHeader -DeviceCode -Scope 'https://graph.microsoft.com/User.Read.All' 6>&1
        $output = @($all | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] })
        $shown = @($all | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { "$_" })
        $output.Count | Should -Be 1
        $output[0] | Should -BeOfType [hashtable]
        $shown[0] | Should -Match "^To sign in, use a web browser to open the page $([regex]::Escape((Get-EmulatorUrl)))/devicelogin and enter the code [A-Z0-9]{9} to authenticate\.$"
        $shown | Should -Contain 'Authorization successful! Token saved in variable.'
        $me = Test-EmulatorToken -Authorization $global:MicrosoftEntraIDHeader.Authorization
        $me.appId | Should -Be $graphTools.ClientId
        $me.tenantId | Should -Be $graphTools.TenantId
        $me.scp | Should -Be 'User.Read.All'
        $requests = @(Get-EmulatorRequests)
        $requests[0].path | Should -Be '/organizations/oauth2/v2.0/devicecode'
        $requests[0].clientId | Should -Be $graphTools.ClientId
        @($requests | Where-Object grantType -EQ 'urn:ietf:params:oauth:grant-type:device_code').status | Should -Be @(400, 400, 200)
    }

    It 'bare Graph permissions also get the Graph tools client; Azure Resource Manager gets the Azure PowerShell client' {
        Set-EmulatorDeviceCodePlan -ClientId $graphTools.ClientId
        $graph = Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -Scope 'Group.Read.All', 'User.Read.All' 6>$null
        (Test-EmulatorToken -Authorization "Bearer $graph").appId | Should -Be $graphTools.ClientId
        Set-EmulatorDeviceCodePlan -ClientId $azurePowerShell.ClientId
        $arm = Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -Scope 'https://management.azure.com' 6>$null
        $me = Test-EmulatorToken -Authorization "Bearer $arm"
        $me.appId | Should -Be $azurePowerShell.ClientId
        $me.scp | Should -Be 'user_impersonation'
    }

    It 'the Azure CLI client asking Graph for User.Read.All gets AADSTS65002, and the hint says to omit -ClientId' {
        $record = $null
        try { Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -ClientId $azureCli.ClientId -Scope 'https://graph.microsoft.com/User.Read.All' 6>$null } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'EntraAuth.ERR_AUTH_FAILED,Get-MicrosoftEntraIDApplicationAccessToken'
        $record.Exception.Data['EntraAuth.Aadsts'] | Should -Be 'AADSTS65002'
        $record.Exception.Message | Should -Match "first party application '04b07795-8ddb-461a-bbee-02f9e1bf7b46'.*Fix: .*Omit -ClientId: EntraAuth then signs in with the Microsoft Graph Command Line Tools client"
    }

    It 'returns the refresh token to a caller who asks (-PassThru), and -RefreshToken with the same client redeems it' {
        Set-EmulatorDeviceCodePlan -ClientId $publicCli.ClientId
        $token = Build-MicrosoftEntraIDApplicationAccessHeader -DeviceCode -TenantId $publicCli.Domain -ClientId $publicCli.ClientId -PassThru 6>$null
        $token.PSObject.TypeNames[0] | Should -Be 'EntraAuth.AccessToken'
        $token.RefreshToken | Should -BeOfType [securestring]
        $token.Scope | Should -Match 'offline_access'
        $renewed = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $publicCli.TenantId -ClientId $publicCli.ClientId -RefreshToken $token.RefreshToken 6>$null
        (Test-EmulatorToken -Authorization "Bearer $renewed").appId | Should -Be $publicCli.ClientId
        @(Get-EmulatorTokenRequests -ClientId $publicCli.ClientId | Where-Object grantType -EQ 'refresh_token').status | Should -Be @(200)
    }

    It 'a second identical call comes from the session cache without a prompt; -Force signs in again' {
        Set-EmulatorDeviceCodePlan -ClientId $publicCli.ClientId
        $first = Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -TenantId $publicCli.TenantId -ClientId $publicCli.ClientId 6>$null
        $again = Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -TenantId $publicCli.TenantId -ClientId $publicCli.ClientId 6>&1
        @($again | Where-Object { "$_" -like 'To sign in*' }).Count | Should -Be 0
        "$(@($again | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] })[0])" | Should -Be "$first"
        @(Get-EmulatorRequests | Where-Object path -Like '*/devicecode').Count | Should -Be 1
        Set-EmulatorDeviceCodePlan -ClientId $publicCli.ClientId
        $forced = Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -TenantId $publicCli.TenantId -ClientId $publicCli.ClientId -Force 6>$null
        "$forced" | Should -Not -Be "$first"
        @(Get-EmulatorRequests | Where-Object path -Like '*/devicecode').Count | Should -Be 2
    }

    It 'a declined sign-in: ERR_DEVICE_CODE_DECLINED, AuthenticationError, and what to do' {
        Set-EmulatorDeviceCodePlan -ClientId $publicCli.ClientId -Action decline
        $record = $null
        try { Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -TenantId $publicCli.TenantId -ClientId $publicCli.ClientId 6>$null } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'EntraAuth.ERR_DEVICE_CODE_DECLINED,Get-MicrosoftEntraIDApplicationAccessToken'
        $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $record.Exception.Message | Should -Match 'was declined\. Fix: Run the command again and approve'
    }

    It 'an expired code: ERR_DEVICE_CODE_EXPIRED after expires_in, with no poll after it' {
        Set-EmulatorDeviceCodePlan -ClientId $publicCli.ClientId -Action none -ExpiresIn 2 -Interval 0.3
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        { Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -TenantId $publicCli.TenantId -ClientId $publicCli.ClientId 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_DEVICE_CODE_EXPIRED,Get-MicrosoftEntraIDApplicationAccessToken' -ExpectedMessage '*expired*Fix: Run the command again*'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $requests = @(Get-EmulatorRequests)
        $issued = [datetime]($requests | Where-Object path -Like '*/devicecode').time
        $polls = @($requests | Where-Object grantType -Like '*device_code')
        $polls.Count | Should -BeGreaterOrEqual 4
        # Sent before the client's expires_in ran out (it counts from the answer, a few ms after the emulator did).
        foreach ($poll in $polls) { ([datetime]$poll.time - $issued).TotalSeconds | Should -BeLessThan 2.05 }
    }

    It 'slow_down adds 5 s to the interval' {
        Set-EmulatorDeviceCodePlan -ClientId $publicCli.ClientId -SlowDownPolls 1 -AfterPolls 1 -Interval 0.2
        $null = Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -TenantId $publicCli.TenantId -ClientId $publicCli.ClientId 6>$null
        $polls = @(Get-EmulatorRequests | Where-Object grantType -Like '*device_code')
        $polls.status | Should -Be @(400, 200)
        ([datetime]$polls[1].time - [datetime]$polls[0].time).TotalSeconds | Should -BeGreaterOrEqual 5.1
    }

    It '-TimeoutSec bounds the wait for the user: ERR_TIMEOUT on time' {
        Set-EmulatorDeviceCodePlan -ClientId $publicCli.ClientId -Action none
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        { Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -TenantId $publicCli.TenantId -ClientId $publicCli.ClientId -TimeoutSec 2 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_TIMEOUT,Get-MicrosoftEntraIDApplicationAccessToken' -ExpectedMessage '*-TimeoutSec 2 s*'
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.9
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
    }

    It 'a confidential app: AADSTS7000218 and how to allow public client flows' {
        Set-EmulatorDeviceCodePlan -ClientId $automation.ClientId
        { Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode -TenantId $automation.TenantId -ClientId $automation.ClientId 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_AUTH_FAILED,Get-MicrosoftEntraIDApplicationAccessToken' -ExpectedMessage "*Allow public client flows*"
    }

    It 'bad input fails before any request: <name>' -ForEach @(
        @{ name = 'a client id that is not a GUID'; extra = @{ ClientId = 'my-app' }; message = "*ClientId 'my-app' is not a GUID*" }
        @{ name = 'a malformed tenant'; extra = @{ TenantId = 'not a tenant' }; message = "*neither a GUID nor a DNS name*" }
        @{ name = 'a scope with white space'; extra = @{ Scope = 'User.Read Mail.Read' }; message = '*white space*' }
    ) {
        { Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode @extra 6>$null } | Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,Get-MicrosoftEntraIDApplicationAccessToken' -ExpectedMessage $message
        @(Get-EmulatorRequests).Count | Should -Be 0
    }
}
