// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { startFakeFirecracker } from '@kindling/fake-vmm';
import { isAlive, TEST_WAIT_MS } from '@kindling/test-utils';
import { expect } from 'vitest';
import {
  expectCompleted,
  expectThrew,
  oneLine,
  patient,
  runExample,
  substitute,
  type ExampleOutcome,
  type FakeBinaries,
  type ReadmeRuns,
} from './readme-run.ts';

// The reader's Firecracker, started through a spawner, and the lines it wrote so far.
const spawnedFirecracker = (bin: FakeBinaries, socket: string, args: readonly string[]): string =>
  `import { DirectSpawner } from '@kindling/spawner';
const signal = AbortSignal.timeout(${TEST_WAIT_MS});
const child = await new DirectSpawner().spawn(${JSON.stringify(bin.firecrackerPath)}, ${JSON.stringify(['--api-sock', socket, ...args])}, {
  stdio: { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' },
});
let lastLines = '';
child.stdout?.on('data', (data) => { lastLines += String(data); });
`;

/** The examples of the process README that run. */
export const PROCESS_RUNS: ReadmeRuns = {
  'packages/process/README.md § Usage': async (example, { folder, bin, kernel }) => {
    const socket = path.join(folder, 'process-vm-1.sock');
    const code = substitute(example, [
      ['/opt/firecracker/firecracker', bin.firecrackerPath],
      ['/opt/firecracker/jailer', bin.jailerPath],
      ['/opt/firecracker/snapshot-editor', bin.snapshotEditorPath],
      ['/tmp/vm-1.sock', socket],
      ['/images/vmlinux', kernel],
      patient.invoke('vmm'),
    ]);
    const stdout = expectCompleted(example, await runExample(code));
    // Firecracker's log, the guest's console, and how it ended. The last lines Firecracker wrote
    // may come through the pipe after its exit was seen: the order of the lines is not checked.
    expect(stdout).toContain('[vm-1:main] Running Firecracker v1.16.1\n');
    expect(stdout).toContain('Linux version');
    expect(stdout).toContain("\n{ kind: 'exited', code: 0 }\n");
    expect(existsSync(socket)).toBe(false);
  },

  'packages/process/README.md § The API client on its own': async (example) => {
    await using fake = await startFakeFirecracker({ socketTimeoutMs: TEST_WAIT_MS });
    const code = substitute(example, [['/tmp/fc.sock', fake.socketPath]]);
    const stdout = oneLine(expectCompleted(example, await runExample(code)));
    expect(stdout).toBe(
      `{ id: '${fake.id}', state: 'Not started', vmm_version: '1.16.1', app_name: 'Firecracker' } ` +
        '{ status: 204, body: undefined, deprecated: false } true ' +
        '400 PATCH /machine-config Empty PATCH request. fault_message ',
    );
  },

  'packages/process/README.md § Waiting for a socket': async (example, { folder, bin }) => {
    const socket = path.join(folder, 'wait-fc.sock');
    const code = substitute(example, [['/tmp/fc.sock', socket]]);
    const epilogue = "console.log('accepting');\nchild.kill('SIGKILL');\n";
    const ready = await runExample(`${spawnedFirecracker(bin, socket, [])}${code}${epilogue}`);
    expect(expectCompleted(example, ready)).toBe('accepting\n');
    // A Firecracker that exits first (it refuses an unknown flag) fails the wait at once.
    const early = await runExample(`${spawnedFirecracker(bin, socket, ['--bogus'])}${code}`);
    expectThrew(
      example,
      early,
      'ERR_SOCKET_WAIT_EXITED',
      'exited with code 153 before its API socket',
    );
    expect(early.stderr).toContain('Found argument');
  },

  'packages/process/README.md § Orphans and `reconcile()`': async (example, { folder, bin }) => {
    // A Node process starts a VMM and is killed by SIGKILL: no hook runs, the VMM stays, and
    // only its record tells. Records go to the default state folder under TMPDIR.
    const tmpdir = path.join(folder, 'reconcile-tmp');
    await mkdir(tmpdir);
    const socket = path.join(folder, 'orphan.sock');
    const parent = spawn(
      process.execPath,
      [
        '--input-type=module',
        '--eval',
        `import { UnrestrictedExecutor } from '@kindling/executor';
import { VmmProcess } from '@kindling/process';
import { DirectSpawner } from '@kindling/spawner';
import { ResourceSystem, VmmArguments, VmmInstallation } from '@kindling/vmm-core';
const vmm = new VmmProcess({
  executor: new UnrestrictedExecutor({ vmmArguments: new VmmArguments({ apiSocket: ${JSON.stringify(socket)} }) }),
  context: { installation: new VmmInstallation(${JSON.stringify(bin)}), spawner: new DirectSpawner(), resourceSystem: new ResourceSystem() },
});
await vmm.prepare();
await vmm.invoke({ socketWaitTimeoutMs: ${TEST_WAIT_MS} });
console.log(vmm.pid);
setInterval(() => {}, 1_000);`,
      ],
      {
        cwd: path.join(import.meta.dirname, '..'),
        env: { ...process.env, TMPDIR: tmpdir },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const pid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the VMM did not start')), TEST_WAIT_MS);
      parent.stdout.once('data', (data: Buffer) => {
        clearTimeout(timer);
        resolve(Number(String(data).trim()));
      });
      parent.once('exit', (code) => reject(new Error(`the parent exited ${code}`)));
    });
    try {
      const parentGone = once(parent, 'exit');
      parent.kill('SIGKILL');
      await parentGone;
      expect(isAlive(pid)).toBe(true);
      const outcome: ExampleOutcome = await runExample(example.code, { env: { TMPDIR: tmpdir } });
      const stdout = oneLine(expectCompleted(example, outcome));
      expect(stdout).toBe(
        `[ { pid: ${pid}, kind: 'attached', killed: true, found: 'running', removedPaths: [ '${socket}' ] } ] 0 `,
      );
      expect(isAlive(pid)).toBe(false);
      expect(existsSync(socket)).toBe(false);
      expect(
        await readdir(path.join(tmpdir, `kindling-${process.getuid?.()}`, 'processes')),
      ).toEqual([]);
    } finally {
      if (isAlive(pid)) {
        process.kill(pid, 'SIGKILL');
      }
    }
  },
};
