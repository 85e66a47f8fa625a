# When a 7-only thing cannot run on 5.1 unprotected: inside a try with a catch, behind a feature probe (an if, a
# switch, an -and/-or operand, or after an if that returns), or itself a probe.

using namespace System.Management.Automation.Language

$script:ProbeVariables = 'PSVersionTable', 'PSEdition', 'IsCoreCLR', 'IsLinux', 'IsMacOS', 'IsWindows'
$script:ProbeMethods = 'GetMethod', 'GetProperty', 'GetField', 'GetMember', 'GetConstructor', 'GetType', 'GetNames', 'IsDefined'
$script:ProbeWords = '(?i)' + ((@($script:ProbeVariables) + $script:ProbeMethods + '-as', 'PSObject', 'Get-Command', 'Version' | ForEach-Object { [regex]::Escape($_) }) -join '|')

function Test-Compat51ProbeNode {
    # True for one node that asks what the runtime has: $PSVersionTable, $PSEdition, $IsCoreCLR/$IsLinux/$IsMacOS/
    # $IsWindows, '<type>' -as [type], .PSObject.Methods/Properties[...], GetMethod(...) and friends, Get-Command,
    # [Environment]::Version, or a variable of $ProbeNames (one assigned from a probe in the same script block).
    param([Ast] $Node, [string[]] $ProbeNames)
    if ($Node -is [VariableExpressionAst]) {
        $name = $Node.VariablePath.UserPath
        return ($script:ProbeVariables -contains $name) -or ($ProbeNames -contains $name)
    }
    if ($Node -is [BinaryExpressionAst]) { return $Node.Operator -eq [TokenKind]::As }
    if ($Node -is [InvokeMemberExpressionAst] -and $Node.Member -is [StringConstantExpressionAst]) { return $script:ProbeMethods -contains $Node.Member.Value }
    if ($Node -is [MemberExpressionAst] -and $Node.Member -is [StringConstantExpressionAst]) {
        if ($Node.Member.Value -in 'Methods', 'Properties' -and $Node.Expression -is [MemberExpressionAst] -and $Node.Expression.Member.Value -eq 'PSObject') { return $true }
        if ($Node.Static -and $Node.Member.Value -eq 'Version' -and $Node.Expression -is [TypeExpressionAst] -and $Node.Expression.TypeName.Name -match '^(System\.)?Environment$') { return $true }
    }
    if ($Node -is [CommandAst]) { return $Node.GetCommandName() -eq 'Get-Command' }
    $false
}

function Find-Compat51Probe {
    # The first probe node within $Ast other than $Except, or $null.
    param([Ast] $Ast, [string[]] $ProbeNames, [Ast] $Except)
    if ($null -eq $Ast) { return $null }
    # Most code has no probe: a look at the text first saves walking it.
    $text = $Ast.Extent.Text
    $maybe = $text -match $script:ProbeWords
    foreach ($name in $ProbeNames) { if (-not $maybe -and $text.IndexOf($name, [StringComparison]::OrdinalIgnoreCase) -ge 0) { $maybe = $true } }
    if (-not $maybe) { return $null }
    $Ast.FindAll({ param($node) Test-Compat51ProbeNode -Node $node -ProbeNames $ProbeNames }, $true).Where({ $_ -ne $Except }, 'First')
}

function Get-Compat51ProbeName {
    # The variables of a file assigned from an expression that holds a probe ($t = 'X' -as [type]).
    param([Ast[]] $Nodes)
    $names = @()
    foreach ($assignment in $Nodes) {
        if ($assignment -isnot [AssignmentStatementAst] -or $assignment.Left -isnot [VariableExpressionAst]) { continue }
        if ($null -ne (Find-Compat51Probe -Ast $assignment.Right)) { $names += $assignment.Left.VariablePath.UserPath }
    }
    $names
}

function Test-Compat51EndsFlow {
    # True when a statement block always leaves: its last statement is return, throw, exit, break or continue.
    param([Ast] $Block)
    if ($null -eq $Block -or $Block.Statements.Count -eq 0) { return $false }
    $last = $Block.Statements[$Block.Statements.Count - 1]
    ($last -is [ReturnStatementAst]) -or ($last -is [ThrowStatementAst]) -or ($last -is [ExitStatementAst]) -or ($last -is [BreakStatementAst]) -or ($last -is [ContinueStatementAst])
}

function Get-Compat51Guard {
    <#
    .SYNOPSIS
        Why $Node is protected on 5.1 ('try/catch at line N', 'feature probe at line N'), or $null when it is not.
    .PARAMETER CatchCounts
        Whether a try/catch protects it (a missing member or command throws; a 7-only variable does not).
    .PARAMETER SelfProbe
        Whether the node may be its own probe ($IsLinux in a condition is $null, so false, on 5.1: right there).
    #>
    param([Parameter(Mandatory)] [Ast] $Node, [string[]] $ProbeNames, [switch] $CatchCounts, [switch] $SelfProbe)
    # A node is not its own probe, except where 5.1's $null is the right answer ($IsLinux, $IsMacOS, $IsCoreCLR):
    # in a condition (handled with the if below), or read as a boolean: -not, -and, -or, a switch's argument.
    $except = if ($SelfProbe) { $null } else { $Node }
    if ($SelfProbe) {
        $up = $Node.Parent
        while ($up -is [ParenExpressionAst] -or $up -is [PipelineAst] -or $up -is [CommandExpressionAst] -or ($up -is [UnaryExpressionAst] -and $up.TokenKind -in [TokenKind]::Not, [TokenKind]::Exclaim) -or ($up -is [BinaryExpressionAst] -and $up.Operator -in [TokenKind]::And, [TokenKind]::Or)) {
            if ($up -is [UnaryExpressionAst] -or $up -is [BinaryExpressionAst]) { return 'its own feature probe (false on 5.1, as it should be there)' }
            $up = $up.Parent
        }
        if ($up -is [CommandParameterAst]) { return 'its own feature probe (false on 5.1, as it should be there)' }
    }
    $child = $Node
    $parent = $Node.Parent
    while ($null -ne $parent) {
        if ($CatchCounts -and $parent -is [TryStatementAst] -and $parent.Body -eq $child -and $parent.CatchClauses.Count -gt 0) {
            return "try/catch at line $($parent.Extent.StartLineNumber)"
        }
        if ($parent -is [IfStatementAst]) {
            # The clause the node is in: its condition, or the body after it; else: every condition before it.
            $conditions = @()
            foreach ($clause in $parent.Clauses) {
                $conditions += $clause.Item1
                if ($clause.Item1 -eq $child -or $clause.Item2 -eq $child) { break }
            }
            if ($parent.ElseClause -eq $child) { $conditions = @($parent.Clauses.ForEach({ $_.Item1 })) }
            foreach ($condition in $conditions) {
                $probe = Find-Compat51Probe -Ast $condition -ProbeNames $ProbeNames -Except $except
                if ($null -ne $probe) {
                    if ($probe -eq $Node) { return 'its own feature probe (false on 5.1, as it should be there)' }
                    return "feature probe at line $($probe.Extent.StartLineNumber)"
                }
            }
        }
        if ($parent -is [SwitchStatementAst] -and $parent.Condition -ne $child) {
            $probe = Find-Compat51Probe -Ast $parent.Condition -ProbeNames $ProbeNames -Except $except
            if ($null -ne $probe) { return "feature probe at line $($probe.Extent.StartLineNumber)" }
        }
        if ($parent -is [BinaryExpressionAst] -and $parent.Operator -in [TokenKind]::And, [TokenKind]::Or -and $parent.Right -eq $child) {
            $probe = Find-Compat51Probe -Ast $parent.Left -ProbeNames $ProbeNames -Except $except
            if ($null -ne $probe) { return "feature probe at line $($probe.Extent.StartLineNumber)" }
        }
        if ($parent -is [StatementBlockAst] -or $parent -is [NamedBlockAst]) {
            # An earlier "if (<probe>) { ...; return }" in the same block: what follows runs only where the probe passed.
            foreach ($statement in $parent.Statements) {
                if ($statement -eq $child) { break }
                if ($statement -is [IfStatementAst]) {
                    foreach ($clause in $statement.Clauses) {
                        $probe = Find-Compat51Probe -Ast $clause.Item1 -ProbeNames $ProbeNames
                        if ($null -ne $probe -and (Test-Compat51EndsFlow -Block $clause.Item2)) { return "feature probe at line $($probe.Extent.StartLineNumber), which returns" }
                    }
                }
            }
        }
        $child = $parent
        $parent = $parent.Parent
    }
    $null
}
