# The checks: each finds, in one parsed script, what Windows PowerShell 5.1 lacks, as findings (missing or guarded).

using namespace System.Management.Automation.Language

# Members PowerShell gives every object, whatever its .NET type.
$script:IntrinsicMembers = 'PSObject', 'PSBase', 'PSAdapted', 'PSExtended', 'PSTypeNames', 'Count', 'Length', 'ForEach', 'Where'
$script:TypeData = @{}

function New-Compat51Finding {
    param([hashtable] $File, [Ast] $Node, [string] $What, [string] $Guard)
    $status = if ($Guard) { 'guarded' } else { 'missing' }
    [pscustomobject]@{ Path = $File.Name; Line = $Node.Extent.StartLineNumber; Status = $status; What = $What; Guard = $Guard }
}

function Get-Compat51SyntaxName {
    # What 7-only syntax one node is, or $null.
    param([Ast] $Node)
    if ($Node -is [TernaryExpressionAst]) { return 'ternary operator ?: (PowerShell 7.0)' }
    if ($Node -is [PipelineChainAst]) { return 'pipeline chain && or || (PowerShell 7.0)' }
    if ($Node -is [BinaryExpressionAst]) {
        if ($Node.Operator -eq [TokenKind]::QuestionQuestion) { return 'null-coalescing operator ?? (PowerShell 7.0)' }
        if ($Node.Operator -in [TokenKind]::Ireplace, [TokenKind]::Creplace -and $Node.Right -is [ArrayLiteralAst] -and $Node.Right.Elements.Count -eq 2 -and $Node.Right.Elements[1] -is [ScriptBlockExpressionAst]) { return '-replace with a script block (PowerShell 6.1)' }
        return $null
    }
    if ($Node -is [AssignmentStatementAst] -and $Node.Operator -eq [TokenKind]::QuestionQuestionEquals) { return 'null-coalescing assignment ??= (PowerShell 7.0)' }
    if ($Node -is [MemberExpressionAst] -and $Node.NullConditional) { return 'null-conditional member access ?. (PowerShell 7.1)' }
    if ($Node -is [IndexExpressionAst] -and $Node.NullConditional) { return 'null-conditional index ?[] (PowerShell 7.1)' }
    if ($Node -is [ScriptBlockAst] -and $null -ne $Node.CleanBlock) { return 'clean block (PowerShell 7.3)' }
    if ($Node -is [PipelineAst] -and $Node.Background) { return 'background operator & (PowerShell 6.0)' }
    if ($Node -is [InvokeMemberExpressionAst] -and $Node.GenericTypeArguments.Count) { return 'generic method call Method[T]() (PowerShell 7.3)' }
    # about_Numeric_Literals: binary 0b..., and the suffixes y, uy, s, us, u, ul, n came with PowerShell 6.2 and 7.0.
    if ($Node -is [ConstantExpressionAst] -and $Node -isnot [StringConstantExpressionAst] -and $Node.Extent.Text -match '(?i)^(0b[01]+|[0-9a-fx.]+(u?y|u?s|u|ul|n))(kb|mb|gb|tb|pb)?$') { return "numeric literal $($Node.Extent.Text) (PowerShell 6.2+)" }
    $null
}

function Find-Compat51Syntax {
    # Parse errors and the syntax only PowerShell 7's parser makes: 5.1 cannot even load such a file, so never guarded.
    param([hashtable] $File)
    foreach ($parseError in $File.Errors) {
        [pscustomobject]@{ Path = $File.Name; Line = $parseError.Extent.StartLineNumber; Status = 'missing'; What = "parse error: $($parseError.Message)"; Guard = $null }
    }
    foreach ($node in $File.Nodes) {
        if (-not ($node -is [TernaryExpressionAst] -or $node -is [PipelineChainAst] -or $node -is [BinaryExpressionAst] -or $node -is [AssignmentStatementAst] -or $node -is [MemberExpressionAst] -or $node -is [IndexExpressionAst] -or $node -is [ScriptBlockAst] -or $node -is [PipelineAst] -or $node -is [ConstantExpressionAst])) { continue }
        $what = Get-Compat51SyntaxName -Node $node
        if ($null -ne $what) { New-Compat51Finding -File $File -Node $node -What $what }
    }
}

function Get-Compat51CommandParameter {
    # The parameter names a command is given: -Name elements, and the keys of a splatted hashtable literal.
    param([CommandAst] $Command)
    foreach ($element in $Command.CommandElements) {
        if ($element -is [CommandParameterAst]) { @{ Name = $element.ParameterName; Node = $element } }
        elseif ($element -is [VariableExpressionAst] -and $element.Splatted) {
            $scope = Get-Compat51ScopeBlock -Variable $element
            $entry = if ($null -ne $scope) { $scope[$element.VariablePath.UserPath] } else { $null }
            foreach ($value in @($entry.Values)) {
                $table = Get-Compat51SingleExpression -Ast $value
                if ($table -isnot [HashtableAst]) { continue }
                foreach ($pair in $table.KeyValuePairs) {
                    if ($pair.Item1 -is [StringConstantExpressionAst]) { @{ Name = $pair.Item1.Value; Node = $element } }
                }
            }
        }
    }
}

function Resolve-Compat51ParameterName {
    # The full name PowerShell 7 binds -$Name to on the command (exact name, alias, or unique prefix), else $Name.
    # $Parameters: the command's names and aliases => full name (CommandInfo.Parameters is slow: read once).
    param([hashtable] $Parameters, [string] $Name)
    if ($null -eq $Parameters) { return $Name }
    if ($Parameters.ContainsKey($Name)) { return $Parameters[$Name] }
    $prefixed = @($Parameters.Values | Sort-Object -Unique).Where({ $_.StartsWith($Name, [StringComparison]::OrdinalIgnoreCase) })
    if ($prefixed.Count -eq 1) { return $prefixed[0] }
    $Name
}

function Get-Compat51ParameterTable {
    # Names and aliases => full parameter name, for a command pwsh 7 has (cached), or $null.
    param([string] $Name)
    if (-not $script:CommandInfos.ContainsKey($Name)) {
        $info = Get-Command -Name $Name -ErrorAction Ignore | Select-Object -First 1
        $names = $null
        if ($null -ne $info) {
            $names = @{}
            foreach ($parameter in $info.Parameters.Values) {
                $names[$parameter.Name] = $parameter.Name
                foreach ($alias in $parameter.Aliases) { $names[$alias] = $parameter.Name }
            }
        }
        $script:CommandInfos[$Name] = $names
    }
    $script:CommandInfos[$Name]
}

# pwsh 7's aliases (the same as 5.1's for the commands SevenOnly.psd1 lists) and the commands looked up, once each.
$script:Aliases = @{}
foreach ($alias in Get-Alias) { $script:Aliases[$alias.Name] = $alias.Definition }
$script:CommandInfos = @{}

function Find-Compat51CommandUse {
    # Commands and parameters that 5.1 does not have (SevenOnly.psd1), aliases resolved as pwsh 7 resolves them.
    param([hashtable] $File, [hashtable] $Table)
    foreach ($command in $File.Nodes) {
        if ($command -isnot [CommandAst]) { continue }
        $name = $command.GetCommandName()
        if (-not $name) { continue }
        if ($script:Aliases.ContainsKey($name)) { $name = $script:Aliases[$name] }
        $guard = { Get-Compat51Guard -Node $command -ProbeNames $File.ProbeNames -CatchCounts }
        if ($Table.Commands.ContainsKey($name)) {
            New-Compat51Finding -File $File -Node $command -What "command $name ($($Table.Commands[$name]), PowerShell 6+)" -Guard (& $guard)
            continue
        }
        $sevenOnly = @()
        if ($Table.Parameters.ContainsKey($name)) { $sevenOnly = @($Table.Parameters[$name]) }
        foreach ($parameter in Get-Compat51CommandParameter -Command $command) {
            $used = $parameter.Name
            # Only an abbreviation of a 7-only name needs pwsh 7's view of the command (a slow look-up) to resolve.
            $full = $used
            if ($sevenOnly.Count -and $sevenOnly -notcontains $used -and $sevenOnly.Where({ $_.StartsWith($used, [StringComparison]::OrdinalIgnoreCase) }).Count) {
                $full = Resolve-Compat51ParameterName -Parameters (Get-Compat51ParameterTable -Name $name) -Name $used
            }
            $common = $null
            foreach ($each in $Table.CommonParameters) { if ($used.Length -ge 9 -and $each.StartsWith($used, [StringComparison]::OrdinalIgnoreCase)) { $common = $each } }
            if ($common) {
                New-Compat51Finding -File $File -Node $parameter.Node -What "common parameter -$common (PowerShell 7.4)" -Guard (& $guard)
            }
            elseif ($sevenOnly -contains $full -or $sevenOnly -contains $used) {
                New-Compat51Finding -File $File -Node $parameter.Node -What "$name -$full (PowerShell 6+)" -Guard (& $guard)
            }
        }
    }
}

function Find-Compat51Variable {
    # 7-only automatic and preference variables, and 7-only values of $ErrorView. A read never throws, so only a
    # probe guards it; $IsLinux, $IsMacOS and $IsCoreCLR in a condition are their own probe ($null, false, on 5.1).
    param([hashtable] $File, [hashtable] $Table)
    foreach ($variable in $File.Nodes) {
        if ($variable -isnot [VariableExpressionAst]) { continue }
        $path = $variable.VariablePath
        if (-not ($path.IsUnqualified -or $path.IsGlobal -or $path.IsScript)) { continue }
        $name = $path.UserPath.Split(':')[-1]
        if ($Table.Variables -notcontains $name) { continue }
        $self = $name -in 'IsLinux', 'IsMacOS', 'IsCoreCLR'
        $guard = Get-Compat51Guard -Node $variable -ProbeNames $File.ProbeNames -SelfProbe:$self
        $note = if ($name -eq 'IsWindows') { ', $null (false) on 5.1, which runs only on Windows' } else { ', $null on 5.1' }
        New-Compat51Finding -File $File -Node $variable -What "variable `$$name (PowerShell 6+$note)" -Guard $guard
    }
    foreach ($text in $File.Nodes) {
        if ($text -isnot [StringConstantExpressionAst] -or $Table.ErrorViewValues -notcontains $text.Value) { continue }
        $statement = $text.Parent
        while ($null -ne $statement -and $statement -isnot [AssignmentStatementAst] -and $statement -isnot [BinaryExpressionAst]) { $statement = $statement.Parent }
        $target = if ($statement -is [AssignmentStatementAst]) { $statement.Left } elseif ($null -ne $statement) { $statement.Left } else { $null }
        if ($target -is [VariableExpressionAst] -and $target.VariablePath.UserPath.Split(':')[-1] -eq 'ErrorView') {
            New-Compat51Finding -File $File -Node $text -What "`$ErrorView value '$($text.Value)' (PowerShell 7.0)" -Guard (Get-Compat51Guard -Node $text -ProbeNames $File.ProbeNames)
        }
    }
}

function Test-Compat51NewObjectArgument {
    # Why no constructor of $Type takes New-Object's -ArgumentList (when its count is written out), or $null.
    param([CommandAst] $Command, [type] $Type, [hashtable] $File)
    if ($Type.IsArray) { return $null }
    $list = Get-Compat51NewObjectArgument -Command $Command
    $arguments = @()
    if ($null -ne $list) {
        $value = Get-Compat51SingleExpression -Ast $list.Ast
        if ($value -is [ArrayLiteralAst]) { $arguments = @(Get-Compat51ArgumentInfo -Arguments @($value.Elements) -File $File) }
        elseif ($value -is [ConstantExpressionAst] -or $value -is [ExpandableStringExpressionAst] -or $value -is [ConvertExpressionAst] -or $value -is [MemberExpressionAst]) { $arguments = @(Get-Compat51ArgumentInfo -Arguments @($value) -File $File) }
        else { return $null }
    }
    if ($Type.IsValueType -and $arguments.Count -eq 0) { return $null }
    $constructors = @($Type.GetConstructors())
    if (@(Find-Reference51Overload -Candidates $constructors -Arguments $arguments).Count) { return $null }
    "no constructor takes these $($arguments.Count) argument(s) in 5.1's references"
}

function Find-Compat51TypeUse {
    # Type literals, casts, parameter types, attributes, catch types and New-Object names that 5.1's references lack.
    param([hashtable] $File)
    foreach ($node in $File.Nodes) {
        if (-not ($node -is [TypeExpressionAst] -or $node -is [TypeConstraintAst] -or $node -is [AttributeAst] -or ($node -is [CommandAst] -and $node.GetCommandName() -eq 'New-Object'))) { continue }
        if ($node -is [CommandAst]) { $result = Resolve-Compat51NewObjectType -Command $node -Namespaces $File.Namespaces; $label = 'New-Object type' }
        else {
            if ($File.Classes -contains $node.TypeName.Name) { continue }
            $result = Resolve-Reference51Type -TypeName $node.TypeName -Namespaces $File.Namespaces -Attribute:($node -is [AttributeAst])
            $label = 'type'
        }
        if ($null -ne $result -and $null -ne $result.Type -and $node -is [CommandAst]) {
            $problem = Test-Compat51NewObjectArgument -Command $node -Type $result.Type -File $File
            if ($problem) { New-Compat51Finding -File $File -Node $node -What "New-Object $($result.Type.FullName): $problem" -Guard (Get-Compat51Guard -Node $node -ProbeNames $File.ProbeNames -CatchCounts) }
            continue
        }
        if ($null -eq $result -or $null -ne $result.Type -or $result.Unchecked) { continue }
        # '...' -as [T] is itself the probe: $null where T does not exist.
        if ($node.Parent -is [BinaryExpressionAst] -and $node.Parent.Operator -eq [TokenKind]::As) { $guard = 'an -as probe' }
        else { $guard = Get-Compat51Guard -Node $node -ProbeNames $File.ProbeNames -CatchCounts }
        New-Compat51Finding -File $File -Node $node -What "$label [$($result.Missing)] is not in 5.1's references" -Guard $guard
    }
}

function Get-Compat51ArgumentInfo {
    # @{ Type; Text } for each argument of a call (Type $null where the script does not say it).
    param([Ast[]] $Arguments, [hashtable] $File)
    foreach ($argument in $Arguments) {
        $single = Get-Compat51SingleExpression -Ast $argument
        $text = if ($single -is [StringConstantExpressionAst]) { $single.Value } else { $null }
        , @{ Type = (Get-Compat51ExpressionType -Ast $argument -File $File); Text = $text }
    }
}

function Format-Compat51Arguments {
    param([object[]] $Arguments)
    @($Arguments).ForEach({ if ($null -ne $_.Type) { $_.Type.Name } else { '?' } }) -join ', '
}

function Test-Compat51Adapted {
    # True for receivers whose members PowerShell makes up (hashtable keys, XML elements, PSObject notes) or may
    # enumerate (a collection's elements' members), and for members PowerShell's type data adds (pwsh 7's types.ps1xml).
    param([type] $Type, [string] $Name)
    if ($script:IntrinsicMembers -contains $Name) { return $true }
    if ($Type.FullName -in 'System.Object', 'System.Management.Automation.PSObject', 'System.Management.Automation.PSCustomObject', 'System.__ComObject') { return $true }
    $cursor = $Type
    while ($null -ne $cursor) {
        if ($cursor.FullName -eq 'System.Xml.XmlNode') { return $true }
        if (-not $script:TypeData.ContainsKey($cursor.FullName)) { $script:TypeData[$cursor.FullName] = Get-TypeData -TypeName $cursor.FullName -ErrorAction Ignore }
        $data = $script:TypeData[$cursor.FullName]
        if ($null -ne $data -and $data.Members.ContainsKey($Name)) { return $true }
        $cursor = $cursor.BaseType
    }
    foreach ($interface in $Type.GetInterfaces()) {
        if ($interface.FullName -eq 'System.Collections.IDictionary') { return $true }
        if ($interface.FullName -eq 'System.Collections.IEnumerable' -and $Type.FullName -ne 'System.String') { return $true }
    }
    $false
}

function Find-Compat51MemberUse {
    # Static members of type literals, and instance members of receivers whose type is known, that 5.1 lacks:
    # by name, by argument count, and by the types of string and char arguments (String.Split(string)).
    param([hashtable] $File)
    foreach ($node in $File.Nodes) {
        if ($node -isnot [MemberExpressionAst] -or $node.Member -isnot [StringConstantExpressionAst]) { continue }
        $name = $node.Member.Value
        $isCall = $node -is [InvokeMemberExpressionAst]
        if ($node.Static) {
            if ($node.Expression -isnot [TypeExpressionAst]) { continue }
            $type = (Resolve-Reference51Type -TypeName $node.Expression.TypeName -Namespaces $File.Namespaces).Type
            if ($null -eq $type) { continue }
            $label = "[$($type.FullName)]::$name"
        }
        else {
            $type = Get-Compat51ExpressionType -Ast $node.Expression -File $File
            if ($null -eq $type) { continue }
            $label = "$($type.Name).$name"
        }
        $arguments = @()
        if ($isCall -and $null -ne $node.Arguments) { $arguments = @(Get-Compat51ArgumentInfo -Arguments @($node.Arguments) -File $File) }
        if ($isCall) { $label += "($(Format-Compat51Arguments -Arguments $arguments))" }

        $problem = $null
        if ($node.Static -and $name -eq 'new') {
            if (-not $isCall) { continue }
            $constructors = @($type.GetConstructors())
            if ($type.IsValueType -and $arguments.Count -eq 0) { continue }
            if (@(Find-Reference51Overload -Candidates $constructors -Arguments $arguments).Count -eq 0) {
                $problem = if ($constructors.Count) { "no constructor of $($type.FullName) takes these $($arguments.Count) argument(s) in 5.1's references" } else { "$($type.FullName) has no public constructor in 5.1's references" }
            }
        }
        else {
            $members = @(Get-Reference51Member -Type $type -Name $name -Static:$node.Static)
            $methods = $members.Where({ $_ -is [System.Reflection.MethodInfo] })
            if ($members.Count -eq 0) {
                if (-not $node.Static -and (Test-Compat51Adapted -Type $type -Name $name)) { continue }
                if (-not $node.Static -and (Test-Compat51Open -Ast $node.Expression) -and (Test-Reference51SubclassMember -Type $type -Name $name)) { continue }
                $problem = "$($type.FullName) has no $(if ($node.Static) { 'static ' })member $name in 5.1's references"
            }
            elseif ($isCall -and $methods.Count -gt 0 -and @(Find-Reference51Overload -Candidates $methods -Arguments $arguments).Count -eq 0) {
                $byCount = $methods.Where({ Test-Reference51ArgumentCount -Method $_ -Count $arguments.Count })
                $problem = if ($byCount.Count) { "no overload of $($type.FullName).$name takes ($(Format-Compat51Arguments -Arguments $arguments)) in 5.1's references" } else { "no overload of $($type.FullName).$name takes $($arguments.Count) argument(s) in 5.1's references" }
                if ($type.FullName -eq 'System.String' -and $name -eq 'Split') { $problem += ' (Split(string) does not exist there: Split(''ab'') splits at a and at b)' }
            }
        }
        if ($null -eq $problem) { continue }
        $guard = Get-Compat51Guard -Node $node -ProbeNames $File.ProbeNames -CatchCounts
        New-Compat51Finding -File $File -Node $node -What "$label`: $problem" -Guard $guard
    }
}
