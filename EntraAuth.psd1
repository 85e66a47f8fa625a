@{
    RootModule           = 'module/EntraAuth.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0c7b0e-3f4a-4c55-9b1e-6a2f8e1d4c37'
    Author               = 'EntraAuth contributors'
    CompanyName          = 'EntraAuth'
    Copyright            = '(c) EntraAuth contributors. MIT License.'
    Description          = 'Microsoft Entra ID access tokens and authorization headers for unattended automation and admin sessions. Drop-in replacement for Build-MicrosoftEntraIDApplicationAccessHeader and Get-MicrosoftEntraIDApplicationAccessToken: no endless loops, clear errors, no secrets in logs or transcripts.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FunctionsToExport    = @('Build-MicrosoftEntraIDApplicationAccessHeader', 'Get-MicrosoftEntraIDApplicationAccessToken', 'Clear-MicrosoftEntraIDTokenCache', 'Test-MicrosoftEntraIDApplicationAccess')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('EntraID', 'AzureAD', 'OAuth', 'Token', 'MicrosoftGraph', 'Automation', 'PSEdition_Desktop', 'PSEdition_Core')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
