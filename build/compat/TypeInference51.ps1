# The 5.1 reference type of an expression where the script says it: a cast, [T]::new(), New-Object T, a typed
# parameter or variable, a string, a static or instance member of a known type, a variable assigned only such things.

using namespace System.Management.Automation.Language

$script:ScopeTypes = @{}

function Get-Compat51NewObjectType {
    # The type name New-Object is given (-TypeName or the first positional argument), as an AST string, or $null.
    param([CommandAst] $Command)
    $elements = $Command.CommandElements
    for ($i = 1; $i -lt $elements.Count; $i++) {
        $element = $elements[$i]
        if ($element -is [CommandParameterAst]) {
            if ('TypeName'.StartsWith($element.ParameterName, [StringComparison]::OrdinalIgnoreCase) -and $element.ParameterName.Length -ge 1) {
                if ($null -ne $element.Argument) { return $element.Argument }
                if ($i + 1 -lt $elements.Count) { return $elements[$i + 1] }
            }
            if ($null -eq $element.Argument -and $i + 1 -lt $elements.Count -and $elements[$i + 1] -isnot [CommandParameterAst]) { $i++ }
            continue
        }
        return $element
    }
    $null
}

function Get-Compat51NewObjectArgument {
    # The -ArgumentList of New-Object (named or the second positional), or $null.
    param([CommandAst] $Command)
    $elements = $Command.CommandElements
    $positional = 0
    for ($i = 1; $i -lt $elements.Count; $i++) {
        $element = $elements[$i]
        if ($element -is [CommandParameterAst]) {
            $isArguments = $element.ParameterName.Length -ge 1 -and ('ArgumentList'.StartsWith($element.ParameterName, [StringComparison]::OrdinalIgnoreCase) -or $element.ParameterName -eq 'Args')
            $value = $element.Argument
            if ($null -eq $value -and $i + 1 -lt $elements.Count -and $elements[$i + 1] -isnot [CommandParameterAst]) { $i++; $value = $elements[$i] }
            if ($isArguments) { return @{ Ast = $value } }
            continue
        }
        $positional++
        if ($positional -eq 2) { return @{ Ast = $element } }
    }
    $null
}

function ConvertTo-Compat51TypeName {
    # A type name written as a command argument ('System.Text.StringBuilder', 'byte[]', 'List[string]') as an ITypeName.
    param([string] $Text)
    $tokens = $null; $errors = $null
    $ast = [Parser]::ParseInput("[$Text]", [ref]$tokens, [ref]$errors)
    if ($errors.Count) { return $null }
    $node = $ast.Find({ param($n) $n -is [TypeExpressionAst] }, $true)
    if ($null -eq $node) { return $null }
    $node.TypeName
}

function Resolve-Compat51NewObjectType {
    # @{ Type } / @{ Missing } / $null (not a constant name) for a New-Object command.
    param([CommandAst] $Command, [string[]] $Namespaces)
    $nameAst = Get-Compat51NewObjectType -Command $Command
    if ($nameAst -isnot [StringConstantExpressionAst]) { return $null }
    $typeName = ConvertTo-Compat51TypeName -Text $nameAst.Value
    if ($null -eq $typeName) { return $null }
    Resolve-Reference51Type -TypeName $typeName -Namespaces $Namespaces
}

function Get-Compat51SingleExpression {
    # The one expression of a pipeline or command expression ($x = [T]::new() is a pipeline of one), or the command.
    param([Ast] $Ast)
    while ($true) {
        if ($Ast -is [PipelineAst] -and $Ast.PipelineElements.Count -eq 1) { $Ast = $Ast.PipelineElements[0]; continue }
        if ($Ast -is [CommandExpressionAst] -and $Ast.Redirections.Count -eq 0) { $Ast = $Ast.Expression; continue }
        if ($Ast -is [ParenExpressionAst]) { $Ast = $Ast.Pipeline; continue }
        return $Ast
    }
}

function Get-Compat51MemberType {
    # The type a member gives: a property's or field's type, or the return type all overloads with this argument count share.
    param([type] $Type, [string] $Name, [switch] $Static, [int] $ArgumentCount = -1)
    $members = @(Get-Reference51Member -Type $Type -Name $Name -Static:$Static)
    if ($ArgumentCount -lt 0) {
        $member = $members.Where({ $_ -is [System.Reflection.PropertyInfo] -or $_ -is [System.Reflection.FieldInfo] }, 'First')[0]
        if ($member -is [System.Reflection.PropertyInfo]) { return $member.PropertyType }
        if ($member -is [System.Reflection.FieldInfo]) { return $member.FieldType }
        return $null
    }
    $found = $null
    foreach ($member in $members) {
        if ($member -isnot [System.Reflection.MethodInfo] -or -not (Test-Reference51ArgumentCount -Method $member -Count $ArgumentCount)) { continue }
        if ($null -ne $found -and $found.FullName -ne $member.ReturnType.FullName) { return $null }
        $found = $member.ReturnType
    }
    $found
}

$script:ExpressionTypes = @{}
# Nodes whose type is only what a member declares it returns, and open (not sealed): at run time PowerShell binds on
# the object, which may be a subclass with more members (TcpListener.LocalEndpoint is an EndPoint, and an IPEndPoint).
$script:OpenAsts = @{}

function Test-Compat51Open {
    # True when a member that $Ast's declared type lacks may still be on the object (see $script:OpenAsts).
    param([Ast] $Ast)
    $script:OpenAsts.ContainsKey($Ast) -or $script:OpenAsts.ContainsKey((Get-Compat51SingleExpression -Ast $Ast))
}

function Set-Compat51Open {
    # Marks $Ast open when a member's declared type $Type is one a subclass can widen.
    param([Ast] $Ast, [type] $Type)
    if ($null -ne $Type -and -not $Type.IsSealed -and -not $Type.IsValueType) { $script:OpenAsts[$Ast] = $true }
    $Type
}

function Get-Compat51ExpressionType {
    # The reference type of an expression, or $null when the script does not say it (remembered per node).
    param([Ast] $Ast, [hashtable] $File, [int] $Depth = 0)
    if ($null -eq $Ast -or $Depth -gt 8) { return $null }
    if ($script:ExpressionTypes.ContainsKey($Ast)) { return $script:ExpressionTypes[$Ast] }
    $type = Get-Compat51ExpressionTypeOnce -Ast $Ast -File $File -Depth $Depth
    $script:ExpressionTypes[$Ast] = $type
    $type
}

function Get-Compat51ExpressionTypeOnce {
    param([Ast] $Ast, [hashtable] $File, [int] $Depth = 0)
    $original = $Ast
    $Ast = Get-Compat51SingleExpression -Ast $Ast
    if ($Ast -is [StringConstantExpressionAst] -or $Ast -is [ExpandableStringExpressionAst]) { return $script:Ref51.String }
    if ($Ast -is [ConvertExpressionAst]) {
        if ($Ast.Type.TypeName.FullName -in 'ref', 'ordered') { return $null }
        return (Resolve-Reference51Type -TypeName $Ast.Type.TypeName -Namespaces $File.Namespaces).Type
    }
    if ($Ast -is [CommandAst]) {
        if ($Ast.GetCommandName() -eq 'New-Object') { return (Resolve-Compat51NewObjectType -Command $Ast -Namespaces $File.Namespaces).Type }
        return $null
    }
    if ($Ast -is [VariableExpressionAst]) {
        $type = Get-Compat51VariableType -Variable $Ast -File $File -Depth ($Depth + 1)
        if ($script:OpenAsts.ContainsKey($Ast)) { $script:OpenAsts[$original] = $true }
        return $type
    }
    if ($Ast -is [MemberExpressionAst] -and $Ast.Member -is [StringConstantExpressionAst]) {
        $name = $Ast.Member.Value
        $count = -1
        if ($Ast -is [InvokeMemberExpressionAst]) { $count = 0; if ($null -ne $Ast.Arguments) { $count = $Ast.Arguments.Count } }
        if ($Ast.Static -and $Ast.Expression -is [TypeExpressionAst]) {
            $type = (Resolve-Reference51Type -TypeName $Ast.Expression.TypeName -Namespaces $File.Namespaces).Type
            if ($null -eq $type) { return $null }
            if ($name -eq 'new' -and $count -ge 0) { return $type }
            return Set-Compat51Open -Ast $original -Type (Get-Compat51MemberType -Type $type -Name $name -Static -ArgumentCount $count)
        }
        if (-not $Ast.Static) {
            $receiver = Get-Compat51ExpressionType -Ast $Ast.Expression -File $File -Depth ($Depth + 1)
            if ($null -eq $receiver) { return $null }
            return Set-Compat51Open -Ast $original -Type (Get-Compat51MemberType -Type $receiver -Name $name -ArgumentCount $count)
        }
    }
    $null
}

function Get-Compat51Owner {
    # The scope a node belongs to: the body of the nearest function around it, or the file's script block.
    param([Ast] $Node)
    $cursor = $Node.Parent
    while ($null -ne $cursor) {
        if ($cursor -is [ScriptBlockAst] -and ($cursor.Parent -is [FunctionDefinitionAst] -or $null -eq $cursor.Parent)) { return $cursor }
        $cursor = $cursor.Parent
    }
    $Node
}

function Get-Compat51ScopeBlock {
    # The scope table a variable lives in: its function's, else the file's (a function sees the script's variables).
    param([VariableExpressionAst] $Variable)
    $name = $Variable.VariablePath.UserPath
    $owner = Get-Compat51Owner -Node $Variable
    while ($null -ne $owner) {
        $scope = $script:ScopeTypes[$owner]
        if ($null -ne $scope -and $scope.ContainsKey($name)) { return $scope }
        if ($null -eq $owner.Parent) { return $null }
        $owner = Get-Compat51Owner -Node $owner
    }
    $null
}

function Add-Compat51Scopes {
    <#
    .SYNOPSIS
        Builds, in one pass over a file's nodes, each scope's table: name => @{ Typed = <ITypeName> } (a typed
        parameter or [T]$x = ...), @{ Values = <assigned ASTs> }, or @{ Unknown = $true } (a foreach variable, [ref],
        a compound assignment, an untyped parameter, a parameter of a script block inside the function).
    #>
    param([hashtable] $File)
    $script:ScopeTypes = @{}
    foreach ($node in $File.Nodes) {
        if (-not ($node -is [ParameterAst] -or $node -is [AssignmentStatementAst] -or $node -is [ForEachStatementAst] -or ($node -is [ConvertExpressionAst] -and $node.Type.TypeName.FullName -eq 'ref'))) { continue }
        $owner = Get-Compat51Owner -Node $node
        $scope = $script:ScopeTypes[$owner]
        if ($null -eq $scope) { $scope = @{}; $script:ScopeTypes[$owner] = $scope }
        if ($node -is [ParameterAst]) {
            $name = $node.Name.VariablePath.UserPath
            # A parameter of the function itself is typed by its constraint; one of an inner script block is not known here.
            $ownParameter = $node.Parent -is [FunctionDefinitionAst] -or ($node.Parent -is [ParamBlockAst] -and $node.Parent.Parent -eq $owner)
            $constraint = $node.Attributes.Where({ $_ -is [TypeConstraintAst] }, 'Last')
            if ($ownParameter -and $constraint.Count) { $scope[$name] = @{ Typed = $constraint[0].TypeName } } else { $scope[$name] = @{ Unknown = $true } }
            continue
        }
        if ($node -is [ForEachStatementAst]) { $scope[$node.Variable.VariablePath.UserPath] = @{ Unknown = $true }; continue }
        if ($node -is [ConvertExpressionAst]) {
            if ($node.Child -is [VariableExpressionAst]) { $scope[$node.Child.VariablePath.UserPath] = @{ Unknown = $true } }
            continue
        }
        $left = $node.Left
        $typed = $null
        if ($left -is [ConvertExpressionAst] -and $left.Child -is [VariableExpressionAst]) { $typed = $left.Type.TypeName; $left = $left.Child }
        if ($left -isnot [VariableExpressionAst] -or -not $left.VariablePath.IsUnqualified) { continue }
        $name = $left.VariablePath.UserPath
        $entry = $scope[$name]
        if ($null -ne $entry -and ($entry.Typed -or $entry.Unknown)) { continue }
        if ($null -ne $typed) { $scope[$name] = @{ Typed = $typed }; continue }
        if ($node.Operator -ne [TokenKind]::Equals) { $scope[$name] = @{ Unknown = $true }; continue }
        if ($null -eq $entry) { $entry = @{ Values = @() }; $scope[$name] = $entry }
        $entry.Values += $node.Right
    }
}

function Get-Compat51VariableType {
    # A variable's reference type: its declared type, or the one type every assignment in its scope gives it.
    param([VariableExpressionAst] $Variable, [hashtable] $File, [int] $Depth = 0)
    $path = $Variable.VariablePath
    if (-not $path.IsUnqualified) { return $null }
    switch ($path.UserPath) {
        'ExecutionContext' { return Get-Reference51TypeByFullName -FullName 'System.Management.Automation.EngineIntrinsics' }
        'PSCmdlet' { return Get-Reference51TypeByFullName -FullName 'System.Management.Automation.PSCmdlet' }
    }
    $scope = Get-Compat51ScopeBlock -Variable $Variable
    if ($null -eq $scope) { return $null }
    $entry = $scope[$path.UserPath]
    if ($entry.Unknown) { return $null }
    if ($entry.Typed) { return (Resolve-Reference51Type -TypeName $entry.Typed -Namespaces $File.Namespaces).Type }
    $found = $null
    foreach ($value in $entry.Values) {
        $type = Get-Compat51ExpressionType -Ast $value -File $File -Depth ($Depth + 1)
        if ($null -eq $type -or ($null -ne $found -and $found.FullName -ne $type.FullName)) { return $null }
        if (Test-Compat51Open -Ast $value) { $script:OpenAsts[$Variable] = $true }
        $found = $type
    }
    $found
}
