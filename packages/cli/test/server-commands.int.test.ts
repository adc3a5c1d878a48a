// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { startServer, type KindlingServer } from '@kindling/server';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { BIN, createCliFixture, type CliFixture } from './support/cli-fixture.js';

// A server on the fixture's fake Firecracker, its images the fixture's folder (the fake kernel).
const startFixtureServer = async (
  fixture: CliFixture,
): Promise<{ readonly server: KindlingServer; readonly at: string[] } & AsyncDisposable> => {
  const server = await startServer({
    stateDir: path.join(fixture.dir, 'srv'),
    imagesDir: fixture.dir,
    installation: {
      firecrackerPath: fixture.env['KINDLING_FIRECRACKER'] ?? '',
      jailerPath: fixture.env['KINDLING_JAILER'] ?? '',
      snapshotEditorPath: fixture.env['KINDLING_SNAPSHOT_EDITOR'] ?? '',
    },
  });
  return {
    server,
    // What each command is given to act on this server.
    at: ['--server', server.socketPath ?? server.address],
    [Symbol.asyncDispose]: () => server.close({ shutdownVms: true }),
  };
};

describe('kindling … --server', () => {
  it('runs, lists, pauses, snapshots, restores and stops VMs on a server', async () => {
    await using fixture = await createCliFixture();
    await using served = await startFixtureServer(fixture);
    const { at } = served;

    const created = await fixture.json(['run', ...at, '--kernel', fixture.kernel, '--name', 'web']);
    expect(created).toMatchObject({ id: 'web', state: 'running', source: 'config', jailed: false });
    expect(await fixture.json<unknown[]>(['ls', ...at])).toEqual([
      expect.objectContaining({ id: 'web', state: 'running' }),
    ]);
    expect(await fixture.json(['pause', 'web', ...at])).toEqual({ name: 'web', state: 'paused' });
    expect(await fixture.json(['resume', 'web', ...at])).toEqual({ name: 'web', state: 'running' });
    expect(await fixture.json(['inspect', 'web', ...at])).toMatchObject({
      id: 'web',
      configuration: { 'machine-config': { vcpu_count: 1, mem_size_mib: 128 } },
    });
    expect(await fixture.json(['api', 'web', 'GET', '/machine-config', ...at])).toMatchObject({
      status: 200,
      body: { vcpu_count: 1 },
    });

    // Firecracker writes its metrics on FlushMetrics; the server follows them.
    await fixture.json(['api', 'web', 'PUT', '/actions', '{"action_type":"FlushMetrics"}', ...at]);
    await vi.waitFor(
      async () =>
        expect((await fixture.run(['metrics', 'web', '--prometheus', ...at])).stdout).toMatch(
          /^firecracker_put_api_requests_actions_count_total\{vm_id="web"\} [1-9]/mu,
        ),
      { timeout: TEST_WAIT_MS, interval: 100 },
    );

    const snapshot = await fixture.json([
      'snapshot',
      'create',
      'web',
      '--snapshot',
      'web.state',
      '--mem',
      'web.mem',
      ...at,
    ]);
    expect(snapshot).toMatchObject({ name: 'web', type: 'Full' });
    const restored = await fixture.json([
      'snapshot',
      'restore',
      '--snapshot',
      String(snapshot['snapshotPath']),
      '--mem',
      String(snapshot['memPath']),
      '--name',
      'clone',
      '--resume',
      ...at,
    ]);
    expect(restored).toMatchObject({ id: 'clone', state: 'running', source: 'snapshot' });

    expect(await fixture.json(['stop', 'clone', '--graceful-timeout', '200', ...at])).toMatchObject(
      {
        name: 'clone',
        stopped: true,
        how: 'deleted',
      },
    );
    expect(
      await fixture.json(['stop', 'web', '--graceful-timeout', '200', '--keep', ...at]),
    ).toMatchObject({ name: 'web', stopped: true, how: 'stopped' });
    expect(await fixture.json<unknown[]>(['ls', ...at])).toEqual([
      expect.objectContaining({ id: 'web', state: expect.stringMatching(/^(exited|crashed)$/u) }),
    ]);
    // Nothing was recorded on this host: the server owns its VMs.
    expect(await fixture.vmFolders()).toEqual([]);
  });

  it("exits with the code of the server's refusal, and says what to do", async () => {
    await using fixture = await createCliFixture();
    await using served = await startFixtureServer(fixture);
    const { at } = served;

    const missing = await fixture.run(['pause', 'nope', ...at]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/\[ERR_VM_NOT_FOUND\]/u);

    const outside = await fixture.run(['run', ...at, '--config', '/etc/passwd']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/source\.path.*\[ERR_INVALID_INPUT\]/u);

    const network = await fixture.run(['run', ...at, '--kernel', fixture.kernel, '--network']);
    expect(network.code).toBe(2);
    expect(network.stderr).toContain('--network: not available with --server');

    const metricsTable = await fixture.run(['metrics', 'nope', ...at]);
    expect(metricsTable.code).toBe(2);
    expect(metricsTable.stderr).toContain('the server exports Prometheus text only');
  });

  it('follows the VM events of a server until the server ends them', async () => {
    await using fixture = await createCliFixture();
    await using served = await startFixtureServer(fixture);
    const following = spawn(process.execPath, [BIN, 'events', ...served.at, '--json'], {
      env: fixture.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Should the test fail first, the command goes with it.
    using _ = { [Symbol.dispose]: () => following.kill('SIGKILL') };
    const exited = once(following, 'exit');
    let stdout = '';
    following.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    // Subscribed once it says so on stderr: no change after that is missed.
    const [subscribed] = (await once(following.stderr, 'data', {
      signal: AbortSignal.timeout(TEST_WAIT_MS),
    })) as [Buffer];
    expect(subscribed.toString('utf8')).toContain('Following every VM on unix:');
    await fixture.json(['run', ...served.at, '--kernel', fixture.kernel, '--name', 'watched']);
    await fixture.json(['stop', 'watched', '--graceful-timeout', '200', ...served.at]);
    await served[Symbol.asyncDispose]();
    expect(await exited).toEqual([0, null]);
    const states = stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string; state: string }).state);
    expect(states[0]).toBe('running');
    expect(states.at(-1)).toBe('deleted');
  });

  it('says when no server answers at --server', async () => {
    await using fixture = await createCliFixture();
    const result = await fixture.run(['ls', '--server', path.join(fixture.dir, 'none.sock')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is `kindling serve` running there.*\[ERR_SERVER_UNREACHABLE\]/u);
  });
});
