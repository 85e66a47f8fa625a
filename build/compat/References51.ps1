# What Windows PowerShell 5.1 can see: the .NET Framework 4.8 reference assemblies and PowerShell 5.1's
# System.Management.Automation, read with MetadataLoadContext (nothing is loaded to run), and the lookups on them.

$script:Ref51 = $null
$script:ScriptClasses = @()

function Open-Reference51 {
    # Builds the MetadataLoadContext over the restored NuGet packages under $PackageRoot (.cache/nuget).
    param([Parameter(Mandatory)] [string] $PackageRoot)
    # The versions are those FetchReferences.csproj restores (NuGet's folders: lower-case id, then version).
    $versions = @{}
    foreach ($reference in ([xml](Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'FetchReferences.csproj'))).Project.ItemGroup.PackageReference) {
        $versions[$reference.Include] = Join-Path $PackageRoot "$($reference.Include.ToLowerInvariant())/$($reference.Version)"
    }
    $loader = Join-Path $versions['System.Reflection.MetadataLoadContext'] 'lib'
    $framework = Join-Path $versions['Microsoft.NETFramework.ReferenceAssemblies.net48'] 'build/.NETFramework/v4.8'
    $automation = Join-Path $versions['PowerShellStandard.Library'] 'lib/net452/System.Management.Automation.dll'
    foreach ($needed in $loader, $framework, $automation) {
        if (-not (Test-Path -LiteralPath $needed)) {
            throw "$needed is missing: restore the check's references with 'npm run compat51' (dotnet restore build/compat/FetchReferences.csproj --packages .cache/nuget)."
        }
    }
    # The build for this runtime (.NET 10 under pwsh 7.6), else the oldest that loads on it.
    $folder = Join-Path $loader "net$([Environment]::Version.Major).0"
    if (-not (Test-Path -LiteralPath $folder)) { $folder = Join-Path $loader 'net8.0' }
    Add-Type -Path (Join-Path $folder 'System.Reflection.MetadataLoadContext.dll')

    $paths = @(Get-ChildItem -LiteralPath $framework -Filter '*.dll' -Recurse | ForEach-Object FullName) + $automation
    $context = [System.Reflection.MetadataLoadContext]::new([System.Reflection.PathAssemblyResolver]::new([string[]]$paths), 'mscorlib')
    # Facades only forward types to the real assemblies, so the real ones are searched by name.
    # A few files of the package are native images or bare modules, not assemblies: skipped.
    $assemblies = foreach ($path in $paths) {
        if ($path -match '[\\/]Facades[\\/]') { continue }
        try { $context.LoadFromAssemblyPath($path) } catch [System.BadImageFormatException] { Write-Debug "not a .NET assembly: $path" }
        catch { Write-Debug "not an assembly (a module or a native image): $path" }
    }
    # PowerShell's type accelerators, by the full name of the type each stands for (5.1's are a subset of pwsh 7's;
    # one whose type 5.1 lacks, like [semver], resolves to nothing).
    $accelerators = @{}
    foreach ($entry in ([psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get).GetEnumerator()) {
        $accelerators[$entry.Key] = $entry.Value.FullName
    }
    $script:Ref51 = @{
        Context = $context
        Assemblies = @($assemblies)
        Accelerators = $accelerators
        Types = @{}
        Index = $null
        Object = $context.CoreAssembly.GetType('System.Object')
        String = $context.CoreAssembly.GetType('System.String')
        Char = $context.CoreAssembly.GetType('System.Char')
    }
}

function Close-Reference51 {
    if ($null -ne $script:Ref51) { $script:Ref51.Context.Dispose(); $script:Ref51 = $null }
}

function Get-Reference51TypeByFullName {
    # The type with this .NET full name ('System.Collections.Generic.List`1', 'A.B+Nested') in any reference assembly, or $null.
    param([string] $FullName)
    $key = $FullName.ToLowerInvariant()
    if ($script:Ref51.Types.ContainsKey($key)) { return $script:Ref51.Types[$key] }
    # MetadataLoadContext only matches names by case; PowerShell ignores it: one index of every public type, at first need.
    if ($null -eq $script:Ref51.Index) {
        $index = [System.Collections.Generic.Dictionary[string, type]]::new([StringComparer]::OrdinalIgnoreCase)
        foreach ($assembly in $script:Ref51.Assemblies) {
            foreach ($type in $assembly.GetExportedTypes()) { $index[$type.FullName] = $type }
        }
        $script:Ref51.Index = $index
    }
    $found = $null
    [void]$script:Ref51.Index.TryGetValue($FullName, [ref]$found)
    $script:Ref51.Types[$key] = $found
    $found
}

function Test-Reference51Unchecked {
    # Types 5.1 has in assemblies the references do not hold (CIM, the cmdlet assemblies): neither found nor missing.
    param([string] $Name)
    $Name -match '^(Microsoft\.Management\.Infrastructure|Microsoft\.PowerShell\.Commands)\.'
}

function Resolve-Reference51Type {
    <#
    .SYNOPSIS
        Resolves a PowerShell type name (an ITypeName from the AST) the way 5.1 would: accelerators, the name as it
        is, with 'System.' before it, under each 'using namespace', with 'Attribute' after it for attributes.
        Returns @{ Type } when found, @{ Unchecked = $true } for assemblies outside the references, else @{ Missing = <name> }.
    #>
    param([Parameter(Mandatory)] $TypeName, [string[]] $Namespaces = @(), [switch] $Attribute)
    if ($TypeName -is [System.Management.Automation.Language.ArrayTypeName]) {
        $element = Resolve-Reference51Type -TypeName $TypeName.ElementType -Namespaces $Namespaces
        if ($null -eq $element.Type) { return $element }
        if ($TypeName.Rank -eq 1) { return @{ Type = $element.Type.MakeArrayType() } }
        return @{ Type = $element.Type.MakeArrayType($TypeName.Rank) }
    }
    if ($TypeName -is [System.Management.Automation.Language.GenericTypeName]) {
        $arguments = @()
        foreach ($argument in $TypeName.GenericArguments) {
            $resolved = Resolve-Reference51Type -TypeName $argument -Namespaces $Namespaces
            if ($null -eq $resolved.Type) { return $resolved }
            $arguments += $resolved.Type
        }
        $definition = Resolve-Reference51Name -Name "$($TypeName.TypeName.FullName)``$($arguments.Count)" -Namespaces $Namespaces
        if ($null -eq $definition.Type) { return @{ Missing = $TypeName.FullName; Unchecked = $definition.Unchecked } }
        return @{ Type = $definition.Type.MakeGenericType([type[]]$arguments) }
    }
    $result = Resolve-Reference51Name -Name $TypeName.FullName -Namespaces $Namespaces
    if ($null -eq $result.Type -and $Attribute) {
        $withSuffix = Resolve-Reference51Name -Name "$($TypeName.FullName)Attribute" -Namespaces $Namespaces
        if ($null -ne $withSuffix.Type) { return $withSuffix }
    }
    $result
}

function Resolve-Reference51Name {
    # One name (no generic arguments, no array rank) to @{ Type } or @{ Missing; Unchecked }.
    param([string] $Name, [string[]] $Namespaces)
    $accelerated = $script:Ref51.Accelerators[$Name]
    $candidates = @()
    if ($accelerated) { $candidates += $accelerated }
    $candidates += $Name, "System.$Name"
    foreach ($namespace in $Namespaces) { $candidates += "$namespace.$Name" }
    foreach ($candidate in $candidates) {
        $found = Get-Reference51TypeByFullName -FullName $candidate
        # PowerShell writes nested types with '.', .NET with '+': A.B.Nested may be A.B+Nested.
        if ($null -eq $found -and $candidate.Contains('.')) {
            $last = $candidate.LastIndexOf('.')
            $found = Get-Reference51TypeByFullName -FullName ($candidate.Substring(0, $last) + '+' + $candidate.Substring($last + 1))
        }
        if ($null -ne $found) { return @{ Type = $found } }
    }
    # A class or enum the script defines is its own, not 5.1's.
    $unchecked = $candidates.Where({ Test-Reference51Unchecked -Name $_ }).Count -gt 0 -or $script:ScriptClasses -contains $Name
    @{ Missing = $Name; Unchecked = $unchecked }
}

function Get-Reference51Member {
    # The public members named $Name of $Type (its base types and, for interfaces, the interfaces it extends included).
    param([Parameter(Mandatory)] [type] $Type, [Parameter(Mandatory)] [string] $Name, [switch] $Static)
    $flags = [System.Reflection.BindingFlags]'Public, IgnoreCase, FlattenHierarchy'
    if ($Static) { $flags = $flags -bor [System.Reflection.BindingFlags]::Static } else { $flags = $flags -bor [System.Reflection.BindingFlags]::Instance }
    $types = @($Type)
    if ($Type.IsInterface) { $types += $Type.GetInterfaces(); if (-not $Static) { $types += $script:Ref51.Object } }
    foreach ($each in $types) { $each.GetMember($Name, $flags) }
}

function Test-Reference51ParamArray {
    # True for a "params" parameter (ParamArrayAttribute).
    param([System.Reflection.ParameterInfo] $Parameter)
    foreach ($attribute in $Parameter.GetCustomAttributesData()) { if ($attribute.AttributeType.FullName -eq 'System.ParamArrayAttribute') { return $true } }
    $false
}

function Test-Reference51ArgumentCount {
    # True when a method or constructor takes $Count arguments (optional parameters and params arrays counted).
    # PowerShell cannot pass a pointer (Encoding.GetString(byte*, int)): such an overload takes nothing.
    param([Parameter(Mandatory)] [System.Reflection.MethodBase] $Method, [int] $Count)
    $parameters = $Method.GetParameters()
    foreach ($parameter in $parameters) { if ($parameter.ParameterType.IsPointer) { return $false } }
    $required = $parameters.Where({ -not $_.IsOptional }).Count
    $last = if ($parameters.Count) { $parameters[-1] } else { $null }
    $isParams = $null -ne $last -and (Test-Reference51ParamArray -Parameter $last)
    if ($isParams) { return $Count -ge ($parameters.Count - 1) }
    ($Count -ge $required) -and ($Count -le $parameters.Count)
}

function Test-Reference51ArgumentFit {
    <#
    .SYNOPSIS
        False when an argument of a known type cannot go to a parameter the way the method binder of 5.1 converts:
        a string to a char only when it is one character (String.Split(string) does not exist on .NET Framework;
        Split(',') binds to Split(params char[])), a char never to a string (String.Contains(char) does not exist).
    .PARAMETER Argument
        @{ Type = <reference type>; Text = <the string constant, if it is one> }, or $null when not known.
    #>
    param([Parameter(Mandatory)] [System.Reflection.ParameterInfo] $Parameter, $Argument, [switch] $ParamsElement)
    if ($null -eq $Argument -or $null -eq $Argument.Type) { return $true }
    $target = $Parameter.ParameterType
    if ($ParamsElement -and $target.IsArray) { $target = $target.GetElementType() }
    if ($target.IsByRef) { return $true }
    $name = $target.FullName
    if ($name -eq 'System.Object') { return $true }
    switch ($Argument.Type.FullName) {
        'System.String' {
            if ($name -eq 'System.Char' -or $name -eq 'System.Char[]') { return ($null -ne $Argument.Text -and $Argument.Text.Length -eq 1) }
            # Anything else PowerShell converts a string to (numbers, enums, Uri, TimeSpan ...) is left to the binder.
            return $true
        }
        'System.Char' {
            if ($name -eq 'System.String') { return $false }
            return $true
        }
        default { return $true }
    }
}

function Find-Reference51Overload {
    <#
    .SYNOPSIS
        The methods (or constructors) among $Candidates that take these arguments: by count, then by the known types.
    .PARAMETER Arguments
        One entry per argument: @{ Type; Text } or $null (type not known).
    #>
    param([System.Reflection.MethodBase[]] $Candidates, [object[]] $Arguments)
    foreach ($method in $Candidates) {
        if (-not (Test-Reference51ArgumentCount -Method $method -Count $Arguments.Count)) { continue }
        $parameters = $method.GetParameters()
        $fits = $true
        for ($i = 0; $i -lt $Arguments.Count; $i++) {
            $index = [Math]::Min($i, $parameters.Count - 1)
            $isParamsSlot = $index -eq $parameters.Count - 1 -and $parameters[$index].ParameterType.IsArray -and (Test-Reference51ParamArray -Parameter $parameters[$index])
            if (-not (Test-Reference51ArgumentFit -Parameter $parameters[$index] -Argument $Arguments[$i] -ParamsElement:$isParamsSlot)) { $fits = $false; break }
        }
        if ($fits) { $method }
    }
}

function Test-Reference51SubclassMember {
    # True when a public subclass of $Type in the references has a member named $Name (an EndPoint may be an
    # IPEndPoint with Port; no RSA subclass of .NET Framework has ExportPkcs8PrivateKey).
    param([Parameter(Mandatory)] [type] $Type, [Parameter(Mandatory)] [string] $Name)
    if ($null -eq $script:Ref51.Subclasses) { $script:Ref51.Subclasses = @{} }
    $subclasses = $script:Ref51.Subclasses[$Type.FullName]
    if ($null -eq $subclasses) {
        [void](Get-Reference51TypeByFullName -FullName 'System.Object')
        $subclasses = @(foreach ($candidate in $script:Ref51.Index.Values) {
                if ($candidate -ne $Type -and -not $candidate.IsInterface -and $Type.IsAssignableFrom($candidate)) { $candidate }
            })
        $script:Ref51.Subclasses[$Type.FullName] = $subclasses
    }
    foreach ($subclass in $subclasses) {
        if (@(Get-Reference51Member -Type $subclass -Name $Name).Count) { return $true }
    }
    $false
}
