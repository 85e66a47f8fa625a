# GENERATED from src/protocol/protocol.json by build/generate/protocolFacts.mjs (npm run build): do not edit; a test fails when stale.
# The module side of the protocol table: what the core reads from the same file.

# The version the request writer puts in every request; the core refuses any other.
$script:EntraAuthProtocolVersion = 1

# The PowerShell ErrorCategory of each EntraAuth.<code> (core and module codes).
$script:EntraAuthErrorCategories = @{
    ERR_INVALID_REQUEST        = [System.Management.Automation.ErrorCategory]::InvalidArgument
    ERR_PROTOCOL               = [System.Management.Automation.ErrorCategory]::InvalidData
    ERR_AUTH_FAILED            = [System.Management.Automation.ErrorCategory]::AuthenticationError
    ERR_CREDENTIAL_UNAVAILABLE = [System.Management.Automation.ErrorCategory]::ResourceUnavailable
    ERR_THROTTLED              = [System.Management.Automation.ErrorCategory]::LimitsExceeded
    ERR_SERVICE_UNAVAILABLE    = [System.Management.Automation.ErrorCategory]::ResourceUnavailable
    ERR_INVALID_RESPONSE       = [System.Management.Automation.ErrorCategory]::InvalidResult
    ERR_NETWORK                = [System.Management.Automation.ErrorCategory]::ConnectionError
    ERR_TLS                    = [System.Management.Automation.ErrorCategory]::SecurityError
    ERR_TIMEOUT                = [System.Management.Automation.ErrorCategory]::OperationTimeout
    ERR_DEVICE_CODE_EXPIRED    = [System.Management.Automation.ErrorCategory]::OperationTimeout
    ERR_DEVICE_CODE_DECLINED   = [System.Management.Automation.ErrorCategory]::AuthenticationError
    ERR_SIGN_IN_DECLINED       = [System.Management.Automation.ErrorCategory]::AuthenticationError
    ERR_STATE_MISMATCH         = [System.Management.Automation.ErrorCategory]::SecurityError
    ERR_INTERNAL               = [System.Management.Automation.ErrorCategory]::NotSpecified
    ERR_CORE_UNAVAILABLE       = [System.Management.Automation.ErrorCategory]::ResourceUnavailable
    ERR_KEY_NOT_EXPORTABLE     = [System.Management.Automation.ErrorCategory]::SecurityError
}

# The request fields the core accepts (any other is ERR_PROTOCOL): the request writer sends no other.
$script:EntraAuthRequestFields = @('id', 'protocolVersion', 'flow', 'tenantId', 'clientId', 'scopes', 'environment', 'authorityHost', 'timeoutSec', 'logLevel', 'correlationId', 'proxy', 'systemProxy', 'clientSecret', 'refreshToken', 'certificates', 'privateKey', 'certificatePath', 'certificatePassword', 'algorithm', 'sendCertificateChain', 'clientAssertion', 'managedIdentityObjectId', 'managedIdentityResourceId', 'federatedTokenFile', 'loginHint', 'prompt', 'browserUnavailable')
# The cmdlet parameters the secret fields come from: kept as SecureString for renewals.
$script:EntraAuthSecretParameters = @('ClientSecret', 'RefreshToken', 'CertificatePassword', 'ClientAssertion')

# Defaults and limits both sides apply.
$script:EntraAuthDefaultTimeoutSec = 60
$script:EntraAuthOfflineAccessScope = 'offline_access'
$script:EntraAuthCoreIdleDefaultSec = 300
$script:EntraAuthCoreIdleMaxSec = 86400
$script:EntraAuthCertificateFileMaxBytes = 1048576
# The token facts line says minutes from this many seconds left on, seconds below.
$script:EntraAuthTokenFactsMinutesFromSec = 120

# Scopes of Microsoft Graph (any cloud): the default public client for -DeviceCode and -Interactive is Graph's.
$script:EntraAuthGraphScopePattern = '^(https://)?(graph\.microsoft\.com|graph\.microsoft\.us|dod-graph\.microsoft\.us|microsoftgraph\.chinacloudapi\.cn|00000003-0000-0000-c000-000000000000)(/|$)'
