# Every call shape of the seed page works unchanged and leaves the globals the seed functions leave.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../EntraAuth.psd1') -Force
    $app = Get-TestApp -Name 'automation'
    $public = Get-TestApp -Name 'public-cli'
    $tenantId = $app.TenantId
    $ClientId = $app.ClientId
    $ClientSecret = $app.Secrets[0].value
}

AfterAll {
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'Seed call shapes' {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache   # each test asks Entra, not the session cache
        Remove-Variable -Name MicrosoftEntraIDAccessToken, MicrosoftEntraIDHeader -Scope Global -ErrorAction SilentlyContinue
    }

    It 'Build- with -tenantid -clientid -clientSecret (the page''s first example)' {
        Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantid -clientid $clientid -clientSecret $clientSecret 6>$null | Out-Null
        $global:MicrosoftEntraIDHeader | Should -BeOfType [hashtable]
        @($global:MicrosoftEntraIDHeader.Keys) | Should -Be @('Authorization')
        $global:MicrosoftEntraIDHeader.Authorization | Should -BeExactly $global:MicrosoftEntraIDAccessToken
        $global:MicrosoftEntraIDAccessToken | Should -BeOfType [string]
        $global:MicrosoftEntraIDAccessToken | Should -Match '^Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$'
        (Test-EmulatorToken -Authorization $global:MicrosoftEntraIDAccessToken).appId | Should -Be $ClientId
    }

    It 'Build- with positional arguments' {
        $header = Build-MicrosoftEntraIDApplicationAccessHeader $tenantId $ClientId $ClientSecret 6>$null
        $header.Authorization | Should -BeExactly $global:MicrosoftEntraIDAccessToken
        (Test-EmulatorToken -Authorization $header.Authorization).tenantId | Should -Be $tenantId
    }

    It 'Get- with -tenantid -clientid -clientSecret sets only the token global' {
        $token = Get-MicrosoftEntraIDApplicationAccessToken -tenantid $tenantid -clientid $clientid -clientSecret $clientSecret 6>$null
        $global:MicrosoftEntraIDAccessToken | Should -BeExactly "Bearer $token"
        Get-Variable -Name MicrosoftEntraIDHeader -Scope Global -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Test-EmulatorToken -Authorization $global:MicrosoftEntraIDAccessToken).roles | Should -Contain 'User.Read.All'
    }

    It 'Get- with positional arguments' {
        $token = Get-MicrosoftEntraIDApplicationAccessToken $tenantId $ClientId $ClientSecret 6>$null
        [string]$token | Should -Match '^eyJ'
    }

    It 'Build- with -tenantid -refreshtoken, given the client id Entra requires' {
        $refreshtoken = New-EmulatorRefreshToken -TenantId $public.TenantId -ClientId $public.ClientId
        Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $public.TenantId -clientid $public.ClientId -refreshtoken $refreshtoken 6>$null | Out-Null
        (Test-EmulatorToken -Authorization $global:MicrosoftEntraIDHeader.Authorization).appId | Should -Be $public.ClientId
    }

    It 'Get- with all four positions (refresh token wins, as in the seed)' {
        $refreshtoken = New-EmulatorRefreshToken -TenantId $public.TenantId -ClientId $public.ClientId
        $token = Get-MicrosoftEntraIDApplicationAccessToken $public.TenantId $public.ClientId '' $refreshtoken 6>$null
        $token.Scope | Should -Match 'graph.microsoft.com'
        $token.RefreshToken | Should -BeOfType [securestring]
    }

    It 'the page''s refresh call without a client id fails before any request, saying why' {
        Reset-Emulator
        $refreshtoken = New-EmulatorRefreshToken -TenantId $public.TenantId -ClientId $public.ClientId
        { Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $public.TenantId -refreshtoken $refreshtoken } |
            Should -Throw -ErrorId 'EntraAuth.ERR_INVALID_REQUEST,Build-MicrosoftEntraIDApplicationAccessHeader' -ExpectedMessage '*ClientId is required to redeem a refresh token*'
        @(Get-EmulatorTokenRequests).Count | Should -Be 0
    }

    It 'the tenant as a verified domain' {
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $app.Domain -ClientId $ClientId -ClientSecret $ClientSecret 6>$null
        (Test-EmulatorToken -Authorization $header.Authorization).tenantId | Should -Be $tenantId
    }
}

Describe 'Same globals as the seed functions' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache }   # each test asks Entra, not the session cache
    BeforeAll {
        # The seed's functions (a module, so they read the global preference) would prompt in the run with
        # DebugPreference Inquire (-TestDebugPreference): that run is about EntraAuth's cmdlets, not the seed's.
        $savedDebugPreference = $global:DebugPreference
        $global:DebugPreference = 'SilentlyContinue'
        $seed = Import-Module (Join-Path $PSScriptRoot '../bench/SeedFunctions.psm1') -Prefix Seed -PassThru -Force
        Set-SeedSeedLoginHost -Uri (Get-EmulatorUrl)
    }
    AfterAll {
        Remove-Module $seed
        $global:DebugPreference = $savedDebugPreference
    }

    It 'Build- leaves globals of the same shape as the seed''s Build-' {
        Build-SeedMicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $ClientId -clientSecret $ClientSecret | Out-Null
        $seedHeader = $global:MicrosoftEntraIDHeader
        $seedToken = $global:MicrosoftEntraIDAccessToken
        Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $ClientId -clientSecret $ClientSecret 6>$null | Out-Null

        $global:MicrosoftEntraIDHeader.GetType() | Should -Be $seedHeader.GetType()
        @($global:MicrosoftEntraIDHeader.Keys) | Should -Be @($seedHeader.Keys)
        $global:MicrosoftEntraIDAccessToken.GetType() | Should -Be $seedToken.GetType()
        ($global:MicrosoftEntraIDAccessToken -split ' ')[0] | Should -BeExactly ($seedToken -split ' ')[0]
        (Test-EmulatorToken -Authorization $seedToken).appId | Should -Be (Test-EmulatorToken -Authorization $global:MicrosoftEntraIDAccessToken).appId
    }

    It 'the seed prints its success message into the output; ours keeps it out of $h' {
        $seedOutput = Build-SeedMicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $ClientId -clientSecret $ClientSecret
        $seedOutput | Should -Be 'Authorization successful! Token saved in variable.'

        $ours = Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $ClientId -clientSecret $ClientSecret 6>&1
        $message = @($ours | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })
        $message.MessageData.ToString() | Should -Be 'Authorization successful! Token saved in variable.'
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -tenantid $tenantId -clientid $ClientId -clientSecret $ClientSecret 6>$null
        @($header).Count | Should -Be 1
        $header | Should -BeOfType [hashtable]
    }
}

Describe 'Parameters beyond the seed' {
    BeforeEach { Clear-MicrosoftEntraIDTokenCache }   # each test asks Entra, not the session cache
    It '-ClientSecret as a SecureString' {
        $secure = ConvertTo-SecureString -String $ClientSecret -AsPlainText -Force
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $tenantId -ClientId $ClientId -ClientSecret $secure 6>$null
        (Test-EmulatorToken -Authorization $header.Authorization).appId | Should -Be $ClientId
    }

    It '-Credential as an Automation credential asset gives it' {
        $credential = [pscredential]::new($ClientId, (ConvertTo-SecureString -String $ClientSecret -AsPlainText -Force))
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $tenantId -Credential $credential 6>$null
        (Test-EmulatorToken -Authorization $header.Authorization).appId | Should -Be $ClientId
    }

    It 'a secret with + & = % space and u-umlaut arrives intact' {
        $tricky = $app.Secrets[1].value
        $tricky | Should -Match '\+' ; $tricky | Should -Match ([string][char]0x00FC)
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $tenantId -ClientId $ClientId -ClientSecret $tricky 6>$null
        (Test-EmulatorToken -Authorization $header.Authorization).appId | Should -Be $ClientId
    }

    It '-Scope with a bare resource asks for <resource>/.default' {
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenantId -ClientId $ClientId -ClientSecret $ClientSecret -Scope 'https://management.azure.com' 6>$null
        $token.Audience | Should -Be 'https://management.azure.com'
        (Test-EmulatorToken -Authorization "Bearer $token").aud | Should -Be 'https://management.azure.com'
    }

    It '-Environment picks the cloud''s Graph scope (login host overridden to the emulator)' {
        $token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId $tenantId -ClientId $ClientId -ClientSecret $ClientSecret -Environment USGov -AuthorityHost (Get-EmulatorUrl) 6>$null
        $token.Audience | Should -Be 'https://graph.microsoft.us'
    }

    It 'the header works with Invoke-RestMethod -Headers' {
        $header = Build-MicrosoftEntraIDApplicationAccessHeader -TenantId $tenantId -ClientId $ClientId -ClientSecret $ClientSecret 6>$null
        # -Debug:$false: PowerShell's own cmdlet would prompt in the run with DebugPreference Inquire.
        (Invoke-RestMethod -Uri "$(Get-EmulatorUrl)/_emulator/api/me" -Headers $header -Debug:$false).appId | Should -Be $ClientId
        (Invoke-RestMethod -Uri "$(Get-EmulatorUrl)/_emulator/api/me" -Headers ($header + @{ 'ConsistencyLevel' = 'eventual' }) -Debug:$false).appId | Should -Be $ClientId
    }
}
