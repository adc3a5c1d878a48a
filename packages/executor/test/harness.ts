// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pollUntil, waitUntilConnectable } from '@kindling/helpers';
import { buildFakeEnv, createFakeInstallation, type FakeSwitches } from '@kindling/fake-vmm';
import { DirectSpawner } from '@kindling/spawner';
import {
  ResourceSystem,
  VmmInstallation,
  type Owner,
  type OwnershipModel,
} from '@kindling/vmm-core';
import type { ProcessHandle, VmmExecutorContext } from '../src/index.js';

/** Whether the tests run as root: the jail then drops to another uid and makes device nodes. */
export const isRoot = process.getuid?.() === 0;

/**
 * The jail's user: `nobody` when root, so the uid/gid drop is real; otherwise this process's own
 * ids, the only ones an unprivileged jailer can switch to.
 */
export const jailOwner: Owner = isRoot
  ? { uid: 65_534, gid: 65_534 }
  : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

/** The ownership model that hands the VM's files to `jailOwner`. */
export const jailOwnership: OwnershipModel = isRoot
  ? { kind: 'downgraded', ...jailOwner }
  : { kind: 'shared' };

/** A temporary folder with a fake installation, and everything a test made to clean up. */
export interface Harness {
  readonly dir: string;
  readonly installation: VmmInstallation;
  readonly spawner: DirectSpawner;
  /** Makes a context over a new resource system with the given ownership model. */
  createContext(ownership?: OwnershipModel): VmmExecutorContext;
  /** Writes a user file (a kernel, a drive) under the folder and returns its path. */
  writeUserFile(relativePath: string, content?: string): Promise<string>;
  /** Records a handle so that `dispose` kills it if the test did not. */
  track(handle: ProcessHandle): ProcessHandle;
  /** Kills what is left, and removes the folder. */
  dispose(): Promise<void>;
}

/** Makes a harness in a fresh folder under the system's temporary folder. */
export const createHarness = async (fake: FakeSwitches = {}): Promise<Harness> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kindling-executor-'));
  let installation: VmmInstallation;
  try {
    // The fake jailer cannot chroot(2): a jail's dropped uid must be able to walk down to it.
    await chmod(dir, 0o755);
    const fakeInstallation = await createFakeInstallation(path.join(dir, 'bin'), {
      env: buildFakeEnv({ cgroupRoot: path.join(dir, 'cgroup'), ...fake }),
    });
    installation = new VmmInstallation({
      firecrackerPath: fakeInstallation.firecrackerPath,
      jailerPath: fakeInstallation.jailerPath,
      snapshotEditorPath: fakeInstallation.snapshotEditorPath,
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const spawner = new DirectSpawner();
  const handles: ProcessHandle[] = [];
  return {
    dir,
    installation,
    spawner,
    createContext: (ownership?: OwnershipModel) => ({
      installation,
      spawner,
      resourceSystem: new ResourceSystem({ ownership: ownership ?? { kind: 'shared' }, spawner }),
    }),
    writeUserFile: async (relativePath, content = relativePath) => {
      const target = path.join(dir, relativePath);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
      return target;
    },
    track: (handle) => {
      handles.push(handle);
      return handle;
    },
    dispose: async () => {
      for (const handle of handles) {
        handle.kill('SIGKILL');
        await handle.wait({ timeoutMs: 5_000 });
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
};

/** Waits (at most `timeoutMs`) until a Unix socket accepts a connection. */
export const waitForSocket = (socketPath: string, timeoutMs = 5_000): Promise<void> =>
  waitUntilConnectable(socketPath, { signal: AbortSignal.timeout(timeoutMs) });

/** Waits (at most `timeoutMs`) until a file exists and is not empty; its folder's changes wake it. */
export const waitForFile = async (target: string, timeoutMs = 5_000): Promise<void> => {
  await pollUntil(
    async () => ((await readFile(target, 'utf8').catch(() => '')) === '' ? null : true),
    {
      signal: AbortSignal.timeout(timeoutMs),
      backOff: { minDelayMs: 1, maxDelayMs: 50 },
      watchFolder: path.dirname(target),
    },
  );
};

/** The command line of a running process. */
export const readCommandLine = async (pid: number): Promise<string[]> =>
  (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((arg) => arg !== '');

/** The real user id a running process runs as. */
export const readProcessUid = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^Uid:\s+(\d+)/mu.exec(status)?.[1]);
};

/** Every file and folder under `root`, as paths relative to it, sorted; `[]` when it is gone. */
export const listTree = async (root: string): Promise<string[]> => {
  try {
    const entries = await readdir(root, { recursive: true });
    return entries.map(String).toSorted();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
};
