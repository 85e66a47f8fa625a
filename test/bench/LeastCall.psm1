# The benchmark's floor for a cold first header in this design: the least PowerShell that gets one from the core.
# It starts the core, writes one request line, reads lines until the envelope and sets the seed's globals; no checks,
# no cache, no saved call, no redacting views. What EntraAuth runs beyond this is its own PowerShell.

function Get-LeastHeader {
    param(
        [string] $CoreCommand, [string] $CoreArguments, [int] $ProtocolVersion,
        [string] $TenantId, [string] $ClientId, [string] $ClientSecret
    )
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new($CoreCommand, "$CoreArguments --serve --idle-sec 60".Trim())
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $secret = $ClientSecret.Replace('\', '\\').Replace('"', '\"')
    $request = ('{{"id":1,"protocolVersion":{0},"flow":"clientSecret","tenantId":"{1}",' +
        '"clientId":"{2}","clientSecret":"{3}"}}') -f $ProtocolVersion, $TenantId, $ClientId, $secret
    $process.StandardInput.WriteLine($request)
    $process.StandardInput.Flush()
    do {
        $line = $process.StandardOutput.ReadLine()
        if ($null -eq $line) { throw "The core ended before its envelope (exit code $($process.ExitCode))." }
        $message = ConvertFrom-Json -InputObject $line
    } until ($message.envelope)
    $process.StandardInput.Close()
    $global:MicrosoftEntraIDAccessToken = 'Bearer ' + $message.envelope.token.accessToken
    $global:MicrosoftEntraIDHeader = @{ Authorization = $global:MicrosoftEntraIDAccessToken }
}
