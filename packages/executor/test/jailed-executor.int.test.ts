// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { testBackend } from '@kindling/fake-vmm';
import {
  JailerArguments,
  VmmArguments,
  VmmInstallation,
  parseVmmId,
  type Command,
  type JailerArgumentsOptions,
} from '@kindling/vmm-core';
import { testCgroupRoot, testCgroups } from '@kindling/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  JailedExecutor,
  readProcessStartTime,
  type JailedExecutorOptions,
  type VmmExecutorContext,
} from '../src/index.js';
import {
  createHarness,
  isRoot,
  jailOwner,
  jailOwnership,
  listTree,
  readProcessUid,
  waitForFile,
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

const createExecutor = (
  jailer: Partial<JailerArgumentsOptions> = {},
  options: Partial<JailedExecutorOptions> = {},
) =>
  new JailedExecutor({
    vmmArguments: new VmmArguments(),
    jailerArguments: new JailerArguments({
      id: parseVmmId('vm-jailed'),
      execFile: harness.installation.firecrackerPath,
      ...jailOwner,
      chrootBaseDir: path.join(harness.dir, 'jails'),
      ...jailer,
    }),
    ...options,
  });

/** One cgroup setting, and the folders (below the hierarchies) the jailer makes for it. */
interface CgroupCase {
  readonly cgroupVersion: 1 | 2;
  readonly cgroups: Readonly<Record<string, string>>;
  readonly made: readonly string[];
}

// Where the cgroup folders of a harness's VMs go: the fake jailer's root, or the host's mounts.
const cgroupHierarchies = (dir: string): string =>
  testCgroupRoot(dir).cgroupRoot ?? '/sys/fs/cgroup';

// A kernel moved in (hard link), a drive copied in, a log created and a snapshot to be produced.
const addResources = async (context: VmmExecutorContext) => {
  const { resourceSystem } = context;
  return {
    kernel: resourceSystem.createResource(await harness.writeUserFile('images/vmlinux'), {
      kind: 'moved',
      method: 'hard-link',
    }),
    rootfs: resourceSystem.createResource(await harness.writeUserFile('images/rootfs.ext4'), {
      kind: 'moved',
      method: 'copy',
    }),
    log: resourceSystem.createResource('/logs/firecracker.log', {
      kind: 'created',
      fileType: 'file',
    }),
    snapshot: resourceSystem.createResource('/snapshots/vm.state', { kind: 'produced' }),
  };
};

// The harness's installation with another jailer binary.
const withJailer = (jailerPath: string) =>
  new VmmInstallation({
    firecrackerPath: harness.installation.firecrackerPath,
    jailerPath,
    snapshotEditorPath: harness.installation.snapshotEditorPath,
  });

const socketOf = (executor: JailedExecutor): string => {
  const socketPath = executor.getSocketPath();
  expect(socketPath).toBeTypeOf('string');
  return String(socketPath);
};

const ownerOf = async (target: string) => {
  const stats = await lstat(target);
  return { uid: stats.uid, gid: stats.gid };
};

describe('JailedExecutor', () => {
  it('moves every resource into the jail for its uid/gid, and cleanup leaves nothing', async () => {
    const context = harness.createContext(jailOwnership);
    const { kernel, rootfs, log, snapshot } = await addResources(context);
    const userOwner = await ownerOf(kernel.initialPath);
    const executor = new JailedExecutor({
      vmmArguments: new VmmArguments({ logPath: log, level: 'Debug' }),
      jailerArguments: new JailerArguments({
        id: parseVmmId('vm-jailed'),
        execFile: harness.installation.firecrackerPath,
        ...jailOwner,
        chrootBaseDir: path.join(harness.dir, 'jails'),
      }),
    });
    const root = path.join(harness.dir, 'jails/firecracker/vm-jailed/root');
    expect(executor.rootPath).toBe(root);
    expect(executor.jailPath).toBe(path.dirname(root));
    expect(executor.getSocketPath(context)).toBe(path.join(root, 'run/firecracker.socket'));
    expect(executor.resolveEffectivePath(context, '/vmlinux')).toBe(path.join(root, 'vmlinux'));

    await executor.prepare(context);
    expect(kernel.virtualPath).toBe('/vmlinux');
    expect(kernel.effectivePath).toBe(path.join(root, 'vmlinux'));
    expect((await stat(kernel.effectivePath)).ino).toBe((await stat(kernel.initialPath)).ino);
    expect(rootfs.virtualPath).toBe('/rootfs.ext4');
    expect((await stat(rootfs.effectivePath)).ino).not.toBe((await stat(rootfs.initialPath)).ino);
    expect(log.virtualPath).toBe('/logs/firecracker.log');
    expect(log.effectivePath).toBe(path.join(root, 'logs/firecracker.log'));
    expect(snapshot.effectivePath).toBe(path.join(root, 'snapshots/vm.state'));
    for (const file of [kernel.effectivePath, rootfs.effectivePath, log.effectivePath]) {
      expect(await ownerOf(file)).toEqual(jailOwner);
    }
    expect(await ownerOf(path.dirname(snapshot.effectivePath))).toEqual(jailOwner);

    const handle = harness.track(await executor.invoke(context));
    expect(handle.kind).toBe('attached');
    await waitForSocket(path.join(root, 'run/firecracker.socket'));
    expect(await readProcessUid(handle.pid)).toBe(jailOwner.uid);
    // The jailer laid out its own files next to ours, and the log is in use.
    expect(await listTree(root)).toEqual(
      expect.arrayContaining(['dev/kvm', 'dev/net/tun', 'firecracker', 'firecracker.pid']),
    );
    expect(await readFile(path.join(root, 'firecracker.pid'), 'utf8')).toBe(String(handle.pid));

    handle.kill();
    expect(await handle.wait()).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
    await executor.cleanup(context);
    // The chroot base and its firecracker folder were made by Kindling: they go with the last jail.
    expect(existsSync(path.join(harness.dir, 'jails'))).toBe(false);
    // The user's files are all there, the hard-linked one with its owner back.
    expect(await listTree(path.join(harness.dir, 'images'))).toEqual(['rootfs.ext4', 'vmlinux']);
    expect(await ownerOf(kernel.initialPath)).toEqual(userOwner);
    await executor.cleanup(context);
  });

  it.each([
    ['--daemonize', { daemonize: true }],
    ['--new-pid-ns', { newPidNs: true }],
    ['--daemonize and --new-pid-ns', { daemonize: true, newPidNs: true }],
  ])('hands over a detached Firecracker under %s', async (_flags, jailer) => {
    const context = harness.createContext(jailOwnership);
    const executor = createExecutor(jailer);
    await executor.prepare(context);
    const handle = harness.track(await executor.invoke(context));
    expect(handle.kind).toBe('detached');
    const pidFile = path.join(executor.rootPath, 'firecracker.pid');
    expect(Number(await readFile(pidFile, 'utf8'))).toBe(handle.pid);
    expect(handle.startTime).toBe(await readProcessStartTime(handle.pid));
    await waitForSocket(socketOf(executor));
    expect(await readProcessUid(handle.pid)).toBe(jailOwner.uid);

    // SIGKILL: a real Firecracker is its pid namespace's init under --new-pid-ns, and an init
    // ignores the signals it has no handler for, SIGTERM included.
    expect(handle.kill('SIGKILL')).toBe(true);
    // Its exit status is not ours to see: never reported as a clean exit.
    expect(await handle.wait()).toEqual({ kind: 'unknown' });
    expect(await readProcessStartTime(handle.pid)).not.toBe(handle.startTime);
    await executor.cleanup(context);
    expect(existsSync(path.join(harness.dir, 'jails'))).toBe(false);
  });

  // The fake jailer writes under the harness's cgroup/, v2 and v1; a real one to the host's
  // hierarchies, in the version the host has (testCgroups).
  const cgroupCases: readonly CgroupCase[] =
    testBackend.kind === 'real'
      ? [
          {
            ...testCgroups(),
            made:
              testCgroups().cgroupVersion === 2
                ? ['firecracker/vm-jailed']
                : ['pids/firecracker/vm-jailed'],
          },
        ]
      : [
          {
            cgroupVersion: 2,
            cgroups: { 'pids.max': '64', 'cpu.weight': '50' },
            made: ['firecracker/vm-jailed'],
          },
          {
            cgroupVersion: 1,
            cgroups: { 'cpu.shares': '512', 'memory.limit_in_bytes': '134217728' },
            made: ['cpu/firecracker/vm-jailed', 'memory/firecracker/vm-jailed'],
          },
        ];
  it.each(cgroupCases)(
    'removes the cgroup folders the jailer made (v$cgroupVersion), never their parent',
    async ({ cgroupVersion, cgroups, made }: CgroupCase) => {
      const context = harness.createContext(jailOwnership);
      const executor = createExecutor({ cgroupVersion, cgroups }, testCgroupRoot(harness.dir));
      const dirs = made.map((item) => path.join(cgroupHierarchies(harness.dir), item));
      expect(executor.listCgroupDirs()).toEqual(dirs);
      await executor.prepare(context);
      const handle = harness.track(await executor.invoke(context));
      await waitForSocket(socketOf(executor));
      expect(dirs.filter((dir) => existsSync(dir))).toEqual(dirs);

      expect(handle.kill('SIGKILL')).toBe(true);
      await handle.wait();
      await executor.cleanup(context);
      expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
      // The parent is shared by every VM: it stays.
      const parents = dirs.map((dir) => path.dirname(dir));
      expect(parents.filter((dir) => existsSync(dir))).toEqual(parents);
    },
  );

  it('removes the folders it made above jails with the last jail, and keeps the ones it did not', async () => {
    const base = path.join(harness.dir, 'jails');
    const context = harness.createContext(jailOwnership);
    const first = createExecutor({ id: parseVmmId('first') });
    const second = createExecutor({ id: parseVmmId('second') });
    await first.prepare(context);
    await second.prepare(harness.createContext(jailOwnership));
    await first.cleanup(context);
    expect(await listTree(path.join(base, 'firecracker'))).toEqual([
      'second',
      'second/root',
      'second/root/run',
    ]);
    await second.cleanup(harness.createContext(jailOwnership));
    expect(existsSync(base)).toBe(false);

    // A base that was there before is the user's: only the exec folder Kindling made goes.
    await mkdir(base);
    await first.prepare(context);
    await first.cleanup(context);
    expect(await listTree(base)).toEqual([]);
    expect(existsSync(base)).toBe(true);
  });

  it('clears a jail left by an earlier run', async () => {
    const context = harness.createContext(jailOwnership);
    const executor = createExecutor();
    await mkdir(path.join(executor.rootPath, 'dev'), { recursive: true });
    await writeFile(path.join(executor.rootPath, 'firecracker.pid'), '1');
    await writeFile(path.join(executor.rootPath, 'dev/kvm'), '');
    await executor.prepare(context);
    expect(await listTree(executor.jailPath)).toEqual(['root', 'root/run']);
    const handle = harness.track(await executor.invoke(context));
    await waitForSocket(socketOf(executor));
    handle.kill();
    await handle.wait();
    await executor.cleanup(context);
  });

  it('reports a jailer that fails with its exit code and stderr (ERR_JAILER_FAILED)', async () => {
    const context = harness.createContext(jailOwnership);
    const executor = createExecutor({
      daemonize: true,
      netns: path.join(harness.dir, 'no-such-netns'),
    });
    await executor.prepare(context);
    await expect(executor.invoke(context)).rejects.toMatchObject({
      code: 'ERR_JAILER_FAILED',
      message: expect.stringMatching(/exit code 1.*no-such-netns/su),
    });
    await executor.cleanup(context);
    expect(await listTree(path.join(harness.dir, 'jails/firecracker'))).toEqual([]);
  });

  it('gives up on a pid file that never holds a pid (ERR_PID_FILE_TIMEOUT)', async () => {
    // A jailer that exits 0 and forks nothing off: the pid never comes.
    const jailerPath = await harness.writeUserFile('bin/silent-jailer', '#!/bin/sh\nexit 0\n');
    await chmod(jailerPath, 0o755);
    const context = {
      ...harness.createContext(jailOwnership),
      installation: withJailer(jailerPath),
    };
    const executor = createExecutor({ daemonize: true }, { pidFileTimeoutMs: 200 });
    await executor.prepare(context);
    const begin = performance.now();
    await expect(executor.invoke(context)).rejects.toMatchObject({
      code: 'ERR_PID_FILE_TIMEOUT',
      message: expect.stringContaining('firecracker.pid did not appear within 200 ms'),
    });
    expect(performance.now() - begin).toBeLessThan(2_000);
    await executor.cleanup(context);
  });

  it('gives the jailer its flags, then -- and the VMM arguments with configPath', async () => {
    const context = harness.createContext(jailOwnership);
    const commands: Command[] = [];
    const executor = createExecutor(
      {},
      {
        vmmArguments: new VmmArguments({ level: 'Warn' }),
        commandModifiers: [
          {
            apply: (command) => {
              commands.push(command);
              return command;
            },
          },
        ],
      },
    );
    await executor.prepare(context);
    const handle = harness.track(await executor.invoke(context, { configPath: '/vm.json' }));
    expect(commands).toEqual([
      {
        binary: harness.installation.jailerPath,
        args: [
          '--id',
          'vm-jailed',
          '--exec-file',
          harness.installation.firecrackerPath,
          '--uid',
          String(jailOwner.uid),
          '--gid',
          String(jailOwner.gid),
          '--chroot-base-dir',
          path.join(harness.dir, 'jails'),
          '--',
          '--config-file',
          '/vm.json',
          '--level',
          'Warn',
        ],
      },
    ]);
    handle.kill();
    await handle.wait();
    await executor.cleanup(context);
  });

  it('kills a jailer that overruns an aborted start, and rejects with the reason', async () => {
    // A jailer that never exits and never writes the pid file; it says who it is first.
    const pidPath = path.join(harness.dir, 'stuck-jailer.pid');
    const jailerPath = await harness.writeUserFile(
      'bin/stuck-jailer',
      `#!/bin/sh\necho $$ > ${pidPath}\nexec sleep 60\n`,
    );
    await chmod(jailerPath, 0o755);
    const context = {
      ...harness.createContext(jailOwnership),
      installation: withJailer(jailerPath),
    };
    const executor = createExecutor({ daemonize: true });
    await executor.prepare(context);
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const invoking = executor.invoke(context, { signal: controller.signal });
    await waitForFile(pidPath);
    controller.abort(reason);
    await expect(invoking).rejects.toBe(reason);
    expect(await readProcessStartTime(Number(await readFile(pidPath, 'utf8')))).toBeUndefined();
    await executor.cleanup(context);
  });

  it('refuses a jail uid/gid the ownership model would not give the files to', async () => {
    const context = harness.createContext({ kind: 'downgraded', uid: 4242, gid: 4242 });
    await expect(createExecutor().prepare(context)).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringContaining('4242:4242'),
    });
    expect(await listTree(path.join(harness.dir, 'jails'))).toEqual([]);
  });

  it("refuses an exec file that is not the installation's firecracker", async () => {
    const context = harness.createContext(jailOwnership);
    const executor = createExecutor({ execFile: harness.installation.jailerPath });
    await expect(executor.prepare(context)).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringContaining('jailerArguments.execFile'),
    });
  });

  it('refuses two resources that would land on one path before writing anything', async () => {
    const context = harness.createContext(jailOwnership);
    for (const folder of ['a', 'b']) {
      context.resourceSystem.createResource(await harness.writeUserFile(`${folder}/rootfs.ext4`), {
        kind: 'moved',
        method: 'copy',
      });
    }
    await expect(createExecutor().prepare(context)).rejects.toMatchObject({
      code: 'ERR_VIRTUAL_PATH',
      message: expect.stringContaining('/rootfs.ext4'),
    });
    expect(await listTree(path.join(harness.dir, 'jails'))).toEqual([]);
  });

  it('places moved resources where a custom resolver says', async () => {
    const context = harness.createContext(jailOwnership);
    const { kernel, rootfs } = await addResources(context);
    const executor = createExecutor(
      {},
      { resolveVirtualPath: (initialPath) => `/images/${path.basename(initialPath)}` },
    );
    await executor.prepare(context);
    expect(kernel.virtualPath).toBe('/images/vmlinux');
    expect(rootfs.effectivePath).toBe(path.join(executor.rootPath, 'images/rootfs.ext4'));
    await executor.cleanup(context);
    expect(await listTree(path.join(harness.dir, 'jails/firecracker'))).toEqual([]);
  });

  it.skipIf(!isRoot)('makes real device nodes when run as root', async () => {
    const context = harness.createContext(jailOwnership);
    const executor = createExecutor();
    await executor.prepare(context);
    const handle = harness.track(await executor.invoke(context));
    await waitForSocket(socketOf(executor));
    expect((await lstat(path.join(executor.rootPath, 'dev/kvm'))).isCharacterDevice()).toBe(true);
    handle.kill();
    await handle.wait();
    await executor.cleanup(context);
  });
});
