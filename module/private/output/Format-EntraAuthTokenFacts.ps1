# The one line of token facts for verbose output, for a token from the session cache; the core writes it for a new
# token (src/log/tokenFacts.ts), with the same rule for the time left ($script:EntraAuthTokenFactsMinutesFromSec).

function Format-EntraAuthTokenFacts {
    # What a token is for, for -Verbose: never the token.
    param([Parameter(Mandatory)] [object] $Token, [Parameter(Mandatory)] [string] $Source)
    $seconds = ($Token.ExpiresOn - [DateTime]::UtcNow.Add($script:EntraAuthClockOffset)).TotalSeconds
    $left = if ($seconds -ge $script:EntraAuthTokenFactsMinutesFromSec) { '{0:F0} min' -f ($seconds / 60) } else { '{0:F0} s' -f $seconds }
    $text = "Token from $Source for $($Token.Audience), expires {0:yyyy-MM-dd HH:mm:ss} UTC (in $left)" -f $Token.ExpiresOn
    if (@($Token.Roles).Count -gt 0) { $text += "; roles $($Token.Roles -join ' ')" }
    if ($Token.Scope) { $text += "; scopes $($Token.Scope)" }
    $text
}
