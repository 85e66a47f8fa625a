# The only place where a secret or a private key becomes plain text: directly before the request writer puts it on
# the core's stdin, or to compare two secrets for the session cache (nothing is kept).

function ConvertTo-EntraAuthPkcs8Pem {
    # An RSA key as PKCS#8 PEM; when .NET will not export it (a non-exportable key, or Windows PowerShell 5.1,
    # whose .NET lacks ExportPkcs8PrivateKey) an ERR_KEY_NOT_EXPORTABLE record, and the caller signs in PowerShell.
    param([Parameter(Mandatory)] [System.Security.Cryptography.RSA] $Key)
    try { $der = $Key.ExportPkcs8PrivateKey() }
    catch {
        $reason = $_.Exception
        while ($null -ne $reason.InnerException) { $reason = $reason.InnerException }
        $message = "The private key cannot be exported to the core ($($reason.Message))."
        $hint = 'None needed: the assertion is signed in PowerShell.'
        throw (New-EntraAuthErrorRecord -Code 'ERR_KEY_NOT_EXPORTABLE' -Message $message -Hint $hint)
    }
    try {
        $base64 = [Convert]::ToBase64String($der)
        $lines = for ($i = 0; $i -lt $base64.Length; $i += 64) {
            $base64.Substring($i, [Math]::Min(64, $base64.Length - $i))
        }
        "-----BEGIN PRIVATE KEY-----`n$($lines -join "`n")`n-----END PRIVATE KEY-----`n"
    }
    finally { [Array]::Clear($der, 0, $der.Length) }
}

function ConvertTo-EntraAuthPlainText {
    # A SecureString's text, an RSA key as PKCS#8 PEM, or a value as it is.
    param([object] $Value)
    if ($Value -is [securestring]) { return [System.Net.NetworkCredential]::new('', $Value).Password }
    if ($Value -is [System.Security.Cryptography.RSA]) { return ConvertTo-EntraAuthPkcs8Pem -Key $Value }
    $Value
}

function Test-EntraAuthSameSecret {
    # True when two secrets (string, SecureString or script block) are the same text, for the session cache: a call
    # with another secret or refresh token must not get the token of this one. Here because this file is the only
    # place a secret becomes plain text; nothing is kept.
    param([object] $Left, [object] $Right)
    if ($null -eq $Left -or $null -eq $Right) { return ($null -eq $Left) -and ($null -eq $Right) }
    if ($Left -is [scriptblock] -or $Right -is [scriptblock]) { return ([string]$Left) -ceq ([string]$Right) }
    ([string](ConvertTo-EntraAuthPlainText -Value $Left)) -ceq ([string](ConvertTo-EntraAuthPlainText -Value $Right))
}
