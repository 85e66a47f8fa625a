// Standalone emulator process: prints one JSON line {url, inspectingUrl, caFile, pid, managedIdentity}, runs until stdin closes or SIGTERM/SIGINT.
import { startEmulator, type EmulatorOptions } from './index.js';

const flags = {
  '--port': 'port',
  '--token-lifetime': 'tokenLifetimeSeconds',
  '--device-code-interval': 'deviceCodeIntervalSeconds',
  '--device-code-lifetime': 'deviceCodeLifetimeSeconds',
  '--authorization-code-lifetime': 'authorizationCodeLifetimeSeconds',
} as const;
/** The one flag that takes fractions: tests poll device codes faster than once a second. */
const fractional: ReadonlySet<string> = new Set(['--device-code-interval']);
const usage =
  'Usage: emulator [--port N] [--token-lifetime SECONDS] [--device-code-interval SECONDS] [--device-code-lifetime SECONDS] [--authorization-code-lifetime SECONDS]';

function isFlag(arg: string | undefined): arg is keyof typeof flags {
  return arg !== undefined && Object.hasOwn(flags, arg);
}

function parseArgs(args: readonly string[]): EmulatorOptions {
  const options: { -readonly [K in keyof EmulatorOptions]: EmulatorOptions[K] } = {};
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    const value = args[i + 1];
    if (!isFlag(flag)) throw new Error(`Unknown argument '${flag ?? ''}'. ${usage}`);
    const pattern = fractional.has(flag) ? /^\d+(\.\d+)?$/ : /^\d+$/;
    if (value === undefined || !pattern.test(value))
      throw new Error(`${flag} needs a ${fractional.has(flag) ? 'number' : 'whole number'}`);
    options[flags[flag]] = Number(value);
  }
  return options;
}

function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    process.stdin.once('end', () => resolve('stdin closed'));
    process.stdin.once('close', () => resolve('stdin closed'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
    process.stdin.resume();
  });
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
    return;
  }
  const stopped = untilStopped(); // listen for signals before anyone can learn our pid
  const emulator = await startEmulator(options);
  const { url, inspectingUrl, caFile, managedIdentity } = emulator;
  process.stdout.write(`${JSON.stringify({ url, inspectingUrl, caFile, pid: process.pid, managedIdentity })}\n`);
  const reason = await stopped;
  process.stdin.destroy();
  await emulator.close();
  process.stderr.write(`[emulator] stopped (${reason})\n`);
  process.exitCode = 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`[emulator] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.stdin.destroy();
  process.exitCode = 1;
});
