// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawnSync } from 'node:child_process';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { JailerArguments, VmmArguments, parseVmmId } from '@kindling/vmm-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JailedExecutor, UnrestrictedExecutor, defaultApiSocketPath } from '../src/index.js';
import {
  createHarness,
  isRoot,
  jailOwner,
  jailOwnership,
  waitForSocket,
  type Harness,
} from './support/harness.js';

// Security cases for permissions: what Kindling makes for a VM (jail folders, the API socket's
// folder, created files and FIFOs, resource folders) is its owner's alone, whatever the umask.
// Each case runs under the usual umask 022 and under a permissive 000.

const modeOf = async (target: string): Promise<number> => (await lstat(target)).mode & 0o7777;

// As root, whether another user (nobody) can connect to a Unix socket: the property that matters.
const canNobodyConnect = (socketPath: string): boolean => {
  const script = `require('node:net').connect(process.argv[1]).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  const result = spawnSync(process.execPath, ['-e', script, socketPath], {
    uid: 65_534,
    gid: 65_534,
    stdio: 'ignore',
    timeout: 10_000,
  });
  return result.status === 0;
};

describe.each([
  ['the usual umask 022', 0o022],
  ['a permissive umask 000', 0o000],
])('under %s', (_name, umask) => {
  let harness: Harness;
  let saved: number;

  beforeAll(() => {
    saved = process.umask(umask);
  });
  afterAll(() => {
    process.umask(saved);
  });
  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await harness.dispose();
  });

  it('makes the jail folders 0700 and created files and FIFOs 0600 (jailed)', async () => {
    const context = harness.createContext(jailOwnership);
    const { resourceSystem } = context;
    const log = resourceSystem.createResource('/logs/fc.log', {
      kind: 'created',
      fileType: 'file',
    });
    const metrics = resourceSystem.createResource('/metrics.fifo', {
      kind: 'created',
      fileType: 'fifo',
    });
    const snapshot = resourceSystem.createResource('/snapshots/vm.state', { kind: 'produced' });
    const base = path.join(harness.dir, 'jails');
    const executor = new JailedExecutor({
      vmmArguments: new VmmArguments({ logPath: log, metricsPath: metrics }),
      jailerArguments: new JailerArguments({
        id: parseVmmId('vm-perm'),
        execFile: harness.installation.firecrackerPath,
        ...jailOwner,
        chrootBaseDir: base,
      }),
    });
    await executor.prepare(context);
    const root = executor.rootPath;
    const handle = harness.track(await executor.invoke(context));
    const socketPath = path.join(root, 'run/firecracker.socket');
    await waitForSocket(socketPath);
    const folders = [
      base,
      path.dirname(executor.jailPath),
      executor.jailPath,
      root,
      path.dirname(socketPath),
    ];
    expect(await Promise.all(folders.map(modeOf))).toEqual(folders.map(() => 0o700));
    expect(await modeOf(log.effectivePath)).toBe(0o600);
    expect(await modeOf(metrics.effectivePath)).toBe(0o600);
    // Kindling's resource folders: searchable by the jail's user, never writable by others.
    expect((await modeOf(path.dirname(log.effectivePath))) & 0o022).toBe(0);
    expect((await modeOf(path.dirname(snapshot.effectivePath))) & 0o022).toBe(0);
    handle.kill();
    await handle.wait();
    await executor.cleanup(context);
  });

  it.skipIf(!isRoot)(
    'lets no other user reach the jailed API socket (needs root to be another user)',
    async () => {
      const context = harness.createContext(jailOwnership);
      const executor = new JailedExecutor({
        vmmArguments: new VmmArguments(),
        jailerArguments: new JailerArguments({
          id: parseVmmId('vm-perm'),
          execFile: harness.installation.firecrackerPath,
          // The jail's own user may; a third user may not: 65533 stands for the jail here.
          uid: 65_533,
          gid: 65_533,
          chrootBaseDir: path.join(harness.dir, 'jails'),
        }),
      });
      const jailContext = harness.createContext({ kind: 'downgraded', uid: 65_533, gid: 65_533 });
      await executor.prepare(jailContext);
      const handle = harness.track(await executor.invoke(jailContext));
      const socketPath = String(executor.getSocketPath(context));
      await waitForSocket(socketPath);
      expect(canNobodyConnect(socketPath)).toBe(false);
      handle.kill();
      await handle.wait();
      await executor.cleanup(jailContext);
    },
  );

  it('puts the default API socket in a 0700 folder, and created files and FIFOs at 0600 (unrestricted)', async () => {
    const context = harness.createContext();
    const { resourceSystem } = context;
    const log = resourceSystem.createResource(path.join(harness.dir, 'vm/logs/fc.log'), {
      kind: 'created',
      fileType: 'fifo',
    });
    const metrics = resourceSystem.createResource(path.join(harness.dir, 'vm/logs/fc.metrics'), {
      kind: 'created',
      fileType: 'file',
    });
    const vmmArguments = new VmmArguments({ id: parseVmmId(`vm-perm-${umask}`), logPath: log });
    const executor = new UnrestrictedExecutor({ vmmArguments });
    await executor.prepare(context);
    const handle = harness.track(await executor.invoke(context));
    const socketPath = defaultApiSocketPath(vmmArguments);
    expect(executor.getSocketPath(context)).toBe(socketPath);
    await waitForSocket(socketPath);
    expect(await modeOf(path.dirname(socketPath))).toBe(0o700);
    expect(await modeOf(path.dirname(path.dirname(socketPath)))).toBe(0o700);
    expect(await modeOf(log.effectivePath)).toBe(0o600);
    expect(await modeOf(metrics.effectivePath)).toBe(0o600);
    // The folders Kindling made for them: the VMM runs as this user, so they are 0700.
    expect(await modeOf(path.join(harness.dir, 'vm/logs'))).toBe(0o700);
    expect(await modeOf(path.join(harness.dir, 'vm'))).toBe(0o700);
    handle.kill();
    await handle.wait();
    await executor.cleanup(context);
  });
});
