// The entry point of pwsh itself (PowerShell's ManagedPSEntry.Main): hand the arguments to the console host.
namespace EntraAuth.Bench;

internal static class Program
{
    private static int Main(string[] args) => Microsoft.PowerShell.UnmanagedPSEntry.Start(args, args.Length);
}
