# The one line of token facts for verbose output, for a token from the session cache; the core writes it for a new
# token (src/log/tokenFacts.ts), with the same rule for the time left ($script:EntraAuthTokenFactsMinutesFromSec).

function Format-EntraAuthTokenFacts {
    # What a token is for, for -Verbose: never the token.
    param([Parameter(Mandatory)] [object] $Token, [Parameter(Mandatory)] [string] $Source)
    $seconds = ($Token.ExpiresOn - (Get-EntraAuthNow)).TotalSeconds
    $left = '{0:F0} s' -f $seconds
    if ($seconds -ge $script:EntraAuthTokenFactsMinutesFromSec) { $left = '{0:F0} min' -f ($seconds / 60) }
    $expires = '{0:yyyy-MM-dd HH:mm:ss}' -f $Token.ExpiresOn
    $text = "Token from $Source for $($Token.Audience), expires $expires UTC (in $left)"
    if (@($Token.Roles).Count -gt 0) { $text += "; roles $($Token.Roles -join ' ')" }
    if ($Token.Scope) { $text += "; scopes $($Token.Scope)" }
    $text
}
