# The protocol from the module's side, with the core mocked: each fixture of test/fixtures/protocol is a cmdlet call,
# the exact requests it must write (field by field: none missing, none extra) and the envelopes the core answers;
# the call must turn them into the fixture's output or ErrorRecord. test/contract/protocolFixtures.test.ts sends the
# same requests to the built core.

BeforeDiscovery {
    $fixtureFolder = Join-Path $PSScriptRoot '../../fixtures/protocol'
    $script:fixtureCases = foreach ($file in Get-ChildItem -LiteralPath $fixtureFolder -Filter '*.json' | Sort-Object Name) {
        $fixture = Get-Content -Raw -LiteralPath $file.FullName | ConvertFrom-Json
        @{ Name = $file.BaseName; Path = $file.FullName; HasOutput = $null -ne $fixture.output -or $null -ne $fixture.header; ErrorCount = @($fixture.errors).Count }
    }
    $script:errorCases = foreach ($case in (Get-Content -Raw -LiteralPath (Join-Path $fixtureFolder 'errors.json') | ConvertFrom-Json).errors) {
        @{ Code = $case.envelope.error.code }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../NonExportableKey.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../../EntraAuth.psd1') -Force
    $script:fixtureFolder = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../../fixtures/protocol')).Path
    # The request level follows the caller's preferences: these tests pin the request of a call without -Verbose or -Debug
    # (the packaged run sets Inquire for every test, as Windows PowerShell 5.1's -Debug would).
    $script:savedPreferences = @($global:DebugPreference, $global:VerbosePreference)
    $global:DebugPreference = 'SilentlyContinue'
    $global:VerbosePreference = 'SilentlyContinue'
    # The system's proxy settings are the machine's: here there is none, so no request carries systemProxy.
    & (Get-Module EntraAuth) { $script:EntraAuthSystemWebProxy = { [System.Net.WebProxy]::new() } }

    function Read-ProtocolFixture {
        # A fixture with {fixtures} standing for this folder (the module sends absolute paths).
        param([Parameter(Mandatory)] [string] $Path)
        $folder = (ConvertTo-Json -InputObject $script:fixtureFolder -Compress).Trim('"')
        (Get-Content -Raw -LiteralPath $Path).Replace('{fixtures}', $folder) | ConvertFrom-Json
    }

    function Invoke-FixtureCall {
        # Runs the fixture's cmdlet call: JSON true is a switch, arrays stay arrays.
        param([Parameter(Mandatory)] $Fixture)
        $parameters = @{}
        foreach ($property in $Fixture.call.parameters.psobject.Properties) {
            $value = $property.Value
            if ($value -is [bool]) { $value = [switch]$value }
            elseif ($value -is [System.Array]) { $value = [string[]]$value }
            $parameters[$property.Name] = $value
        }
        & $Fixture.call.cmdlet @parameters
    }

    function Assert-SameJson {
        # Field by field: the same names (none missing, none extra) and, for each, the same JSON value.
        param([Parameter(Mandatory)] $Actual, [Parameter(Mandatory)] $Expected, [Parameter(Mandatory)] [string] $What)
        $actualNames = @($Actual.psobject.Properties.Name | Sort-Object)
        $expectedNames = @($Expected.psobject.Properties.Name | Sort-Object)
        ($actualNames -join ', ') | Should -Be ($expectedNames -join ', ') -Because "$What has exactly the fixture's fields"
        foreach ($name in $expectedNames) {
            (ConvertTo-Json -InputObject $Actual.$name -Compress -Depth 8) | Should -Be (ConvertTo-Json -InputObject $Expected.$name -Compress -Depth 8) -Because "$What.$name is the fixture's"
        }
    }

    function Use-MockedCore {
        # The core replaced at its three seams (start, send, receive): the request writer and the envelope handling run
        # as they are. Every request line is kept in $script:sentLines; each is answered with the next envelope
        # of $Envelopes, a resolveTarget question (the session cache's) with a target unless the fixture lists it.
        param([object[]] $Envelopes, [switch] $AnswerResolveTarget)
        $script:sentLines = [System.Collections.Generic.List[string]]::new()
        $script:envelopes = [System.Collections.Generic.Queue[object]]::new()
        foreach ($envelope in $Envelopes) { $script:envelopes.Enqueue($envelope) }
        $script:answerResolveTarget = [bool]$AnswerResolveTarget
        Mock -ModuleName EntraAuth Start-EntraAuthCore { [pscustomobject]@{ NextId = 0; Waiting = @{}; Inbox = @{}; Process = $null } }
        # Decoded at once: Invoke-EntraAuthCore clears the bytes when the call ends.
        Mock -ModuleName EntraAuth Send-EntraAuthCoreLine { $script:sentLines.Add([System.Text.Encoding]::UTF8.GetString($Bytes)); $Session }
        Mock -ModuleName EntraAuth Receive-EntraAuthCoreEnvelope {
            $request = $script:sentLines[$script:sentLines.Count - 1] | ConvertFrom-Json
            if ($request.flow -eq 'resolveTarget' -and $script:answerResolveTarget) {
                $scopes = @('https://graph.microsoft.com/.default')
                if ($null -ne $request.scopes) { $scopes = @($request.scopes) }
                return [pscustomobject]@{ ok = $true; target = [pscustomobject]@{ authorityHost = 'https://login.microsoftonline.com'; authority = 'https://login.microsoftonline.com'; tenantId = ''; clientId = ''; scopes = $scopes } }
            }
            if ($script:envelopes.Count -eq 0) { throw "The call sent a request the fixture has no answer for: $($request.flow)" }
            $script:envelopes.Dequeue()
        }
        Mock -ModuleName EntraAuth Get-EntraAuthBrowserBlocker { $null }
    }

    function Get-FlowLines {
        # The request lines of the call, without the session cache's resolveTarget questions unless the fixture lists them.
        param([switch] $All)
        foreach ($line in $script:sentLines) {
            if ($All -or ($line | ConvertFrom-Json).flow -ne 'resolveTarget') { $line }
        }
    }

    function Start-FixtureCall {
        # Mocks the core for the fixture (with -ErrorEnvelope: its last exchange answered with that failure).
        param([Parameter(Mandatory)] $Fixture, [object] $ErrorEnvelope)
        if ($null -ne $Fixture.earlierCall) {
            # A call made first, whose requests are not the fixture's: its token in the cache makes the fixture's call
            # ask what its own spelling is for.
            Use-MockedCore -Envelopes @($Fixture.earlierCall.envelope) -AnswerResolveTarget
            $null = Invoke-FixtureCall -Fixture ([pscustomobject]@{ call = $Fixture.earlierCall }) 6>$null
        }
        $listsTarget = @($Fixture.exchanges | Where-Object { $_.request.flow -eq 'resolveTarget' }).Count -gt 0
        $envelopes = @($Fixture.exchanges | ForEach-Object { $_.envelope })
        if ($null -ne $ErrorEnvelope) { $envelopes[$envelopes.Count - 1] = $ErrorEnvelope }
        Use-MockedCore -Envelopes $envelopes -AnswerResolveTarget:(-not $listsTarget)
        if ($Fixture.nonExportableKey) { Mock -ModuleName EntraAuth Get-EntraAuthRsaPrivateKey { New-NonExportableRsa -Certificate $Certificate } }
        @{ ListsTarget = $listsTarget }
    }
}

AfterAll {
    $global:DebugPreference, $global:VerbosePreference = $script:savedPreferences
    Remove-Module EntraAuth -ErrorAction SilentlyContinue
}

Describe 'Protocol fixture <Name>' -ForEach $fixtureCases {
    BeforeEach {
        Clear-MicrosoftEntraIDTokenCache
        & (Get-Module EntraAuth) { $script:EntraAuthTargets.Clear() }
        $fixture = Read-ProtocolFixture -Path $Path
    }

    It 'writes exactly the fixture''s requests, field by field' {
        $started = Start-FixtureCall -Fixture $fixture
        $null = Invoke-FixtureCall -Fixture $fixture 6>$null
        $lines = @(Get-FlowLines -All:$started.ListsTarget)
        $lines.Count | Should -Be @($fixture.exchanges).Count -Because 'the call sends one request per exchange'
        for ($i = 0; $i -lt $lines.Count; $i++) {
            $lines[$i] | Should -Match '^[^\r\n]+\n$' -Because 'a request is one line, ended by LF'
            Assert-SameJson -Actual ($lines[$i] | ConvertFrom-Json) -Expected $fixture.exchanges[$i].request -What "request $($i + 1)"
        }
    }

    It 'turns the success envelope into the documented output' -Skip:(-not $HasOutput) {
        $null = Start-FixtureCall -Fixture $fixture
        $result = Invoke-FixtureCall -Fixture $fixture 6>$null
        if ($null -ne $fixture.header) {
            $result | Should -BeOfType [hashtable]
            @($result.Keys) | Should -Be @('Authorization')
            $result['Authorization'] | Should -BeExactly $fixture.header.Authorization
            return
        }
        $expected = $fixture.output
        $result.PSObject.TypeNames[0] | Should -Be 'EntraAuth.AccessToken'
        [string]$result | Should -BeExactly $expected.AccessToken
        $result.TokenType | Should -BeExactly $expected.TokenType
        $result.ExpiresOn.ToUniversalTime().ToString('o') | Should -Be $expected.ExpiresOn
        $result.IssuedOn.ToUniversalTime().ToString('o') | Should -Be $expected.IssuedOn
        $result.Audience | Should -BeExactly $expected.Audience
        @($result.Roles) | Should -Be @($expected.Roles)
        $result.Scope | Should -Be $expected.Scope
        $result.TenantId | Should -BeExactly $expected.TenantId
        $result.ClientId | Should -BeExactly $expected.ClientId
        ($null -ne $result.RefreshToken) | Should -Be $expected.HasRefreshToken
        if ($expected.HasRefreshToken) { $result.RefreshToken | Should -BeOfType [securestring] }
    }

    It 'turns each failure envelope into the documented ErrorRecord' -Skip:($ErrorCount -eq 0) {
        foreach ($case in $fixture.errors) {
            Clear-MicrosoftEntraIDTokenCache
            $null = Start-FixtureCall -Fixture $fixture -ErrorEnvelope $case.envelope
            $record = { Invoke-FixtureCall -Fixture $fixture 6>$null } | Should -Throw -PassThru
            $expected = $case.record
            ($record.FullyQualifiedErrorId -split ',')[0] | Should -BeExactly $expected.FullyQualifiedErrorId
            $record.CategoryInfo.Category.ToString() | Should -Be $expected.Category -Because "$($expected.FullyQualifiedErrorId) has the table's category"
            $record.Exception.GetType().FullName | Should -Be $expected.ExceptionType
            $record.Exception.Message | Should -BeExactly $expected.Message
            $record.TargetObject | Should -Be $expected.TargetObject
            $data = @{}
            foreach ($key in $record.Exception.Data.Keys) { if ([string]$key -like 'EntraAuth.*') { $data[[string]$key] = $record.Exception.Data[$key] } }
            (@($data.Keys | Sort-Object) -join ', ') | Should -Be (@($expected.Data.psobject.Properties.Name | Sort-Object) -join ', ')
            foreach ($property in $expected.Data.psobject.Properties) { $data[$property.Name] | Should -Be $property.Value -Because "Data['$($property.Name)']" }
        }
    }
}

Describe 'Error codes of the protocol table' {
    It 'maps <Code> from an envelope to its category' -ForEach $errorCases {
        # The same as the fixture's 'errors' loop, one code per test so a failure names it.
        $fixture = Read-ProtocolFixture -Path (Join-Path $script:fixtureFolder 'errors.json')
        $case = $fixture.errors | Where-Object { $_.envelope.error.code -eq $Code }
        Clear-MicrosoftEntraIDTokenCache
        $null = Start-FixtureCall -Fixture $fixture -ErrorEnvelope $case.envelope
        $record = { Invoke-FixtureCall -Fixture $fixture 6>$null } | Should -Throw -PassThru
        $record.CategoryInfo.Category.ToString() | Should -Be $case.record.Category
    }

    It 'gives the module''s own codes their categories (ERR_KEY_NOT_EXPORTABLE is not NotSpecified)' {
        $fixture = Read-ProtocolFixture -Path (Join-Path $script:fixtureFolder 'errors.json')
        foreach ($property in $fixture.moduleErrors.psobject.Properties) {
            $record = InModuleScope EntraAuth -Parameters @{ Code = $property.Name } { param($Code) New-EntraAuthErrorRecord -Code $Code -Message 'test' }
            $record.CategoryInfo.Category.ToString() | Should -Be $property.Value -Because $property.Name
        }
    }

    It 'knows a category for every code the fixtures name, and no code the fixtures do not' {
        $fixture = Read-ProtocolFixture -Path (Join-Path $script:fixtureFolder 'errors.json')
        $named = @($fixture.errors | ForEach-Object { $_.envelope.error.code }) + @($fixture.moduleErrors.psobject.Properties.Name)
        $known = InModuleScope EntraAuth { @($script:EntraAuthErrorCategories.Keys) }
        (@($known | Sort-Object) -join ', ') | Should -Be (@($named | Sort-Object) -join ', ')
    }
}

Describe 'The request writer' {
    It 'writes id and the table''s protocolVersion first, whatever version the caller put in' {
        $bytes = InModuleScope EntraAuth { ConvertTo-EntraAuthRequestLine -Id 7 -Request @{ protocolVersion = 99; flow = 'resolveTarget'; tenantId = '' } }
        $line = [System.Text.Encoding]::UTF8.GetString($bytes)
        $line | Should -BeLike '{"id":7,"protocolVersion":1,*'
        ($line | ConvertFrom-Json).protocolVersion | Should -Be 1
    }

    It 'refuses a field the protocol table does not list, before anything is sent' {
        $record = { InModuleScope EntraAuth { ConvertTo-EntraAuthRequestLine -Id 1 -Request @{ flow = 'clientSecret'; tenantId = 't'; clientSecrets = 'x' } } } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -Be 'EntraAuth.ERR_INTERNAL'
        $record.Exception.Message | Should -BeLike "*field 'clientSecrets'*nothing was sent*"
        $record.Exception.Message | Should -Not -BeLike '*x*x*' -Because 'no value is quoted'
    }

    It 'writes the JSON text ConvertTo-Json -Compress writes, for every character and shape a request has' {
        # Every control character, quote, backslash, DEL, U+0085, non-ASCII, the JavaScript line separators and a lone
        # surrogate; a PEM key's line ends; nested dictionaries, arrays (one item, none), booleans, numbers and null.
        $all = -join [char[]]@((0..127) + 0x85, 0xe9, 0x2028, 0x2029, 0xd800)
        $pem = "-----BEGIN PRIVATE KEY-----`r`nMIIE`nvQ==`r`n-----END PRIVATE KEY-----`n"
        $certificate = [ordered]@{ thumbprint = 'AB"C'; chain = @('a', 'b') }
        $payload = [ordered]@{
            id = 3; all = $all; pem = $pem; empty = ''; one = @('x'); none = @(); yes = $true; no = $false
            nothing = $null; big = [long]5000000000; nested = [ordered]@{ certificates = @($certificate) }
        }
        $ours = InModuleScope EntraAuth -Parameters @{ Payload = $payload } {
            ConvertTo-EntraAuthJsonText -Value $Payload
        }
        $ours | Should -BeExactly (ConvertTo-Json -InputObject $payload -Compress -Depth 6)
        ($ours | ConvertFrom-Json).all | Should -BeExactly $all
    }
}
