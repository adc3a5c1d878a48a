// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { lstat, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FAKE_ONLY, isRealBackend } from '@kindling/fake-vmm';
import { VmmArguments, VmmInstallation, parseVmmId, type Command } from '@kindling/vmm-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnrestrictedExecutor, readProcessStartTime } from '../src/index.js';
import {
  createHarness,
  listTree,
  readCommandLine,
  waitForSocket,
  type Harness,
} from './support/harness.js';

let harness: Harness;

beforeEach(async () => {
  harness = await createHarness();
});

afterEach(async () => {
  await harness.dispose();
});

const exists = (target: string) =>
  lstat(target).then(
    () => true,
    () => false,
  );

// A socket file with no process behind it, as a killed Firecracker leaves its API socket.
const makeStaleSocket = async (socketPath: string): Promise<void> => {
  const script = `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  await once(child, 'exit');
};

describe('UnrestrictedExecutor', () => {
  it('runs firecracker with --id and the arguments, and cleanup leaves only the user files', async () => {
    const context = harness.createContext();
    const { resourceSystem } = context;
    const kernel = resourceSystem.createResource(await harness.writeUserFile('images/vmlinux'), {
      kind: 'moved',
      method: 'hard-link-or-copy',
    });
    const log = resourceSystem.createResource(path.join(harness.dir, 'run/fc.log'), {
      kind: 'created',
      fileType: 'file',
    });
    const fifo = resourceSystem.createResource(path.join(harness.dir, 'run/serial.fifo'), {
      kind: 'created',
      fileType: 'fifo',
    });
    const snapshot = resourceSystem.createResource(path.join(harness.dir, 'snap/vm.state'), {
      kind: 'produced',
    });
    const socketPath = path.join(harness.dir, 'run/fc.sock');
    const executor = new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({
        apiSocket: socketPath,
        id: parseVmmId('vm-unrestricted'),
        logPath: log,
        level: 'Debug',
      }),
    });
    expect(executor.getSocketPath(context)).toBe(socketPath);
    expect(executor.resolveEffectivePath(context, '/srv/rootfs.ext4')).toBe('/srv/rootfs.ext4');

    await executor.prepare(context);
    expect(kernel.effectivePath).toBe(kernel.initialPath);
    expect(log.virtualPath).toBe(log.initialPath);
    expect((await lstat(log.effectivePath)).isFile()).toBe(true);
    expect((await lstat(fifo.effectivePath)).isFIFO()).toBe(true);
    expect(snapshot.state).toBe('initialized');

    const handle = harness.track(await executor.invoke(context));
    expect(handle.kind).toBe('attached');
    expect(handle.startTime).toBe(await readProcessStartTime(handle.pid));
    await waitForSocket(socketPath);
    const argv = await readCommandLine(handle.pid);
    expect(argv.slice(-8)).toEqual([
      '--api-sock',
      socketPath,
      '--id',
      'vm-unrestricted',
      '--log-path',
      log.initialPath,
      '--level',
      'Debug',
    ]);

    expect(handle.kill()).toBe(true);
    expect(await handle.wait()).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
    await executor.cleanup(context);
    // Firecracker leaves its socket behind on exit; cleanup removes it with every created file.
    expect(await listTree(path.join(harness.dir, 'run'))).toEqual([]);
    expect(await listTree(path.join(harness.dir, 'images'))).toEqual(['vmlinux']);
    expect(await readFile(kernel.initialPath, 'utf8')).toBe('images/vmlinux');
    expect(await listTree(path.join(harness.dir, 'snap'))).toEqual([]);
    // Harmless the second time.
    await executor.cleanup(context);
  });

  it('gives two VMs without apiSocket or id a private socket and an id each, run side by side', async () => {
    const folder = path.join(os.tmpdir(), `kindling-${process.getuid?.()}`, 'run');
    const vms = [0, 1].map(() => {
      const executor = new UnrestrictedExecutor({ vmmArguments: new VmmArguments() });
      const { id } = executor.options.vmmArguments;
      return { executor, id, context: harness.createContext(), socketPath: `${folder}/${id}.sock` };
    });
    expect(new Set(vms.map((vm) => vm.id)).size).toBe(2);
    for (const { executor, id, context, socketPath } of vms) {
      expect(id).toMatch(/^kindling-[0-9a-f]{16}$/u);
      expect(executor.getSocketPath(context)).toBe(socketPath);
      await executor.prepare(context);
    }
    expect((await lstat(folder)).mode & 0o777).toBe(0o700);
    const handles = [];
    for (const { executor, context } of vms) {
      handles.push(harness.track(await executor.invoke(context)));
    }
    for (const [index, { executor, id, context, socketPath }] of vms.entries()) {
      const handle = handles[index] as (typeof handles)[number];
      await waitForSocket(socketPath);
      const argv = await readCommandLine(handle.pid);
      expect(argv.slice(-4)).toEqual(['--api-sock', socketPath, '--id', id]);
      handle.kill();
      await handle.wait();
      await executor.cleanup(context);
      expect(await exists(socketPath)).toBe(false);
    }
  });

  it('removes a stale API socket so that Firecracker can bind it again', async () => {
    const context = harness.createContext();
    const socketPath = path.join(harness.dir, 'fc.sock');
    await makeStaleSocket(socketPath);
    expect((await lstat(socketPath)).isSocket()).toBe(true);
    const executor = new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ apiSocket: socketPath }),
    });
    await executor.prepare(context);
    expect(await exists(socketPath)).toBe(false);
    const handle = harness.track(await executor.invoke(context));
    await waitForSocket(socketPath);
    handle.kill();
    await handle.wait();
    await executor.cleanup(context);
    expect(await exists(socketPath)).toBe(false);
  });

  it('refuses to delete a socket in use or a file that is not a socket', async () => {
    const context = harness.createContext();
    const socketPath = path.join(harness.dir, 'fc.sock');
    const executor = new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ apiSocket: socketPath }),
    });
    const server = createServer();
    server.listen(socketPath);
    await once(server, 'listening');
    try {
      await expect(executor.prepare(context)).rejects.toMatchObject({
        code: 'ERR_PREPARE_FAILED',
        message: expect.stringContaining('in use by a running process'),
      });
    } finally {
      server.close();
      await once(server, 'close');
    }
    await writeFile(socketPath, 'precious');
    await expect(executor.prepare(context)).rejects.toThrow(/not a socket/u);
    expect(await readFile(socketPath, 'utf8')).toBe('precious');
  });

  it.skipIf(isRealBackend).each([
    [{ exitCode: 2 }, { kind: 'exited', code: 2 }],
    [{ signal: 'SIGABRT' as const }, { kind: 'signaled', signal: 'SIGABRT' }],
  ])(
    `reports a Firecracker that dies at start-up as it died (%o) [${FAKE_ONLY}]`,
    async (outcome, expected) => {
      const crashing = await createHarness({ exitRules: [{ point: 'startup', outcome }] });
      try {
        const context = crashing.createContext();
        const executor = new UnrestrictedExecutor({
          vmmArguments: new VmmArguments({ apiSocket: path.join(crashing.dir, 'fc.sock') }),
        });
        await executor.prepare(context);
        const handle = crashing.track(await executor.invoke(context));
        expect(await handle.wait()).toEqual(expected);
        await executor.cleanup(context);
      } finally {
        await crashing.dispose();
      }
    },
  );

  it('passes configPath as --config-file', async () => {
    const context = harness.createContext();
    const socketPath = path.join(harness.dir, 'fc.sock');
    const configPath = path.join(harness.dir, 'vm.json');
    const commands: Command[] = [];
    const executor = new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ apiSocket: socketPath }),
      // A modifier that only records what would be spawned.
      commandModifiers: [
        {
          apply: (command) => {
            commands.push(command);
            return command;
          },
        },
      ],
    });
    await executor.prepare(context);
    const handle = harness.track(await executor.invoke(context, { configPath }));
    expect(commands).toEqual([
      {
        binary: harness.installation.firecrackerPath,
        args: [
          '--api-sock',
          socketPath,
          '--id',
          executor.options.vmmArguments.id,
          '--config-file',
          configPath,
        ],
      },
    ]);
    handle.kill();
    await handle.wait();
    await executor.cleanup(context);
  });

  it('applies command modifiers and keeps the pipes the stdio option asks for', async () => {
    const context = harness.createContext();
    const socketPath = path.join(harness.dir, 'fc.sock');
    const executor = new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ apiSocket: socketPath }),
      // `env -u X` runs the command itself: the modifier's binary is what gets spawned.
      commandModifiers: [
        {
          apply: (command) => ({
            binary: 'env',
            args: ['-u', 'KINDLING_UNSET', command.binary, ...command.args],
          }),
        },
      ],
      stdio: { stdin: 'ignore', stdout: 'pipe', stderr: 'ignore' },
    });
    await executor.prepare(context);
    const handle = harness.track(await executor.invoke(context));
    expect(handle.stdin).toBeNull();
    expect(handle.stdout).not.toBeNull();
    expect(handle.stderr).toBeNull();
    await waitForSocket(socketPath);
    handle.kill();
    await handle.wait();
    await executor.cleanup(context);
  });

  it('fails with ERR_SPAWN_FAILED for a missing binary, and an aborted invoke leaves no process', async () => {
    const missing = new VmmInstallation({
      firecrackerPath: path.join(harness.dir, 'nowhere/firecracker'),
      jailerPath: path.join(harness.dir, 'nowhere/jailer'),
      snapshotEditorPath: path.join(harness.dir, 'nowhere/snapshot-editor'),
    });
    const context = { ...harness.createContext(), installation: missing };
    const executor = new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ apiSocket: path.join(harness.dir, 'fc.sock') }),
    });
    await expect(executor.invoke(context)).rejects.toMatchObject({
      code: 'ERR_SPAWN_FAILED',
      message: expect.stringContaining('nowhere/firecracker'),
    });
    const reason = new Error('not now');
    await expect(
      executor.invoke(harness.createContext(), { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
  });

  it('refuses a resource the context does not hold, and bad options', async () => {
    const other = harness.createContext().resourceSystem;
    const log = other.createResource(path.join(harness.dir, 'fc.log'), {
      kind: 'created',
      fileType: 'file',
    });
    const executor = new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({
        apiSocket: path.join(harness.dir, 'fc.sock'),
        logPath: log,
      }),
    });
    await expect(executor.prepare(harness.createContext())).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringContaining(log.initialPath),
    });
    expect(
      () =>
        new UnrestrictedExecutor({
          vmmArguments: new VmmArguments(),
          stdio: 'loud' as 'pipe',
        }),
    ).toThrow(/UnrestrictedExecutor\.stdio: expected 'pipe'/u);
    expect(() => new UnrestrictedExecutor({ vmmArguments: {} as VmmArguments })).toThrow(
      'UnrestrictedExecutor.vmmArguments: expected a VmmArguments, got {}',
    );
  });
});
