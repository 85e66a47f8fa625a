// The standalone CLI, bundled the way build/ bundles it: one JSON line on stdout, clean exit on stdin close or signal.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentialsForm, createTestClient, fixture, tokenPath } from './harness.js';

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly info: { url: string; caFile: string; pid: number };
  /** Everything the process wrote to stdout, once it has exited. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

function run(bundle: string, args: string[]): { child: ChildProcessWithoutNullStreams; exit: Started['exit'] } {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: 'pipe' });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const exit = new Promise<Awaited<Started['exit']>>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stdout }));
  });
  return { child, exit };
}

async function start(bundle: string, args: string[] = []): Promise<Started> {
  const { child, exit } = run(bundle, args);
  const line = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.includes('\n')) resolve(buffered.slice(0, buffered.indexOf('\n')));
    });
    void exit.then(({ code }) => reject(new Error(`emulator exited early with ${code}`)));
  });
  return { child, exit, info: JSON.parse(line) as Started['info'] };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('cli', { timeout: 15000 }, () => {
  let outdir: string;
  let bundle: string;
  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'entraauth-emulator-cli-'));
    bundle = join(outdir, 'emulator.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./cli.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: bundle,
      logLevel: 'silent',
    });
  });
  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('prints exactly one JSON line, serves tokens, and exits 0 when stdin closes', async () => {
    const port = await freePort();
    const { child, exit, info } = await start(bundle, ['--port', String(port), '--token-lifetime', '600']);
    expect(info).toEqual({
      url: `https://127.0.0.1:${port}`,
      inspectingUrl: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/) as unknown,
      caFile: expect.stringMatching(/ca\.pem$/) as unknown,
      pid: child.pid,
      managedIdentity: expect.objectContaining({
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        serviceFabricThumbprint: expect.stringMatching(/^[0-9A-F]{40}$/),
      }) as unknown,
    });
    const client = createTestClient({ url: info.url, caPem: await readFile(info.caFile, 'utf8') });
    const response = await client.postForm(tokenPath(), clientCredentialsForm());
    await client.close();
    expect(response.json()['expires_in']).toBe(600);
    child.stdin.end();
    const { code, stdout } = await exit;
    expect(code).toBe(0);
    expect(stdout).toBe(`${JSON.stringify(info)}\n`);
    await expect(readFile(info.caFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('exits 0 on %s', async (signal) => {
    const { child, exit } = await start(bundle);
    child.kill(signal);
    expect(await exit).toMatchObject({ code: 0, signal: null });
  });

  it('exits 2 on bad arguments without writing to stdout', async () => {
    const { exit } = run(bundle, ['--port', 'abc']);
    expect(await exit).toMatchObject({ code: 2, stdout: '' });
    const fractionalLifetime = run(bundle, ['--device-code-lifetime', '0.5']);
    expect(await fractionalLifetime.exit).toMatchObject({ code: 2, stdout: '' });
  });

  it('takes a fractional device code interval and lifetime in seconds', async () => {
    const { child, exit, info } = await start(bundle, [
      '--device-code-interval',
      '0.25',
      '--device-code-lifetime',
      '30',
    ]);
    const client = createTestClient({ url: info.url, caPem: await readFile(info.caFile, 'utf8') });
    const response = await client.postForm(`/${fixture.tenantId}/oauth2/v2.0/devicecode`, {
      client_id: fixture.publicClientId,
      scope: 'User.Read',
    });
    await client.close();
    expect(response.json()).toMatchObject({ interval: 0.25, expires_in: 30 });
    child.stdin.end();
    expect(await exit).toMatchObject({ code: 0 });
  });

  it('exits 1 without writing to stdout when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as AddressInfo;
      const { exit } = run(bundle, ['--port', String(port)]);
      expect(await exit).toMatchObject({ code: 1, stdout: '' });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
