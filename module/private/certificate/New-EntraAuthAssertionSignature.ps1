# Signs the core's unsigned assertion with a key that cannot leave .NET (RS256: PKCS#1 v1.5, PS256: PSS; SHA-256).

function New-EntraAuthAssertionSignature {
    <#
    .SYNOPSIS
        Returns the base64url JWS signature of SigningInput ('header.payload') made with the RSA key.
    .PARAMETER Key
        The certificate's RSA private key, as .NET holds it (a non-exportable key in the Windows store works).
    .PARAMETER SigningInput
        'base64url(header).base64url(payload)' as the core prepared it.
    .PARAMETER Algorithm
        RS256 or PS256, as the core put it in the header.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [System.Security.Cryptography.RSA] $Key,
        [Parameter(Mandatory)] [string] $SigningInput,
        [Parameter(Mandatory)] [ValidateSet('RS256', 'PS256')] [string] $Algorithm
    )

    $padding = [System.Security.Cryptography.RSASignaturePadding]::Pkcs1
    if ($Algorithm -eq 'PS256') { $padding = [System.Security.Cryptography.RSASignaturePadding]::Pss }
    $data = [System.Text.Encoding]::ASCII.GetBytes($SigningInput)
    try { $signature = $Key.SignData($data, [System.Security.Cryptography.HashAlgorithmName]::SHA256, $padding) }
    catch {
        $message = "The private key could not sign the client assertion with ${Algorithm}: " +
            "$(Get-EntraAuthInnerMessage -ErrorRecord $_)"
        $hint = 'Use -SigningAlgorithm RS256 (older key providers cannot do PSS), or import the certificate with a ' +
            'key provider that supports SHA-256 (Microsoft Software Key Storage Provider).'
        throw (New-EntraAuthErrorRecord -Code 'ERR_INVALID_REQUEST' -Message $message -Hint $hint)
    }
    [Convert]::ToBase64String($signature).TrimEnd('=').Replace('+', '-').Replace('/', '_')
}
