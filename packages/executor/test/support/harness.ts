// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pollUntil, waitUntilConnectable } from '@kindling/helpers';
import type { FakeSwitches } from '@kindling/fake-vmm';
import { DirectSpawner } from '@kindling/spawner';
import { FakeInstallationFolder, isRoot, TEST_WAIT_MS } from '@kindling/test-utils';
import {
  ResourceSystem,
  type Owner,
  type OwnershipModel,
  type VmmInstallation,
} from '@kindling/vmm-core';
import type { ProcessHandle, VmmExecutorContext } from '../../src/index.js';

export { isRoot };

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

/** A temporary folder with a test installation, and everything a test made to clean up. */
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
  /** The same as `dispose`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Makes a harness in a fresh folder under the system's temporary folder. */
export const createHarness = async (fake: FakeSwitches = {}): Promise<Harness> => {
  // The fake jailer cannot chroot(2): a jail's dropped uid must be able to walk down to it.
  const folder = await FakeInstallationFolder.create({
    prefix: 'kindling-executor-',
    fake,
    mode: 0o755,
  });
  const { dir, installation } = folder;
  const spawner = new DirectSpawner();
  const handles: ProcessHandle[] = [];
  const dispose = async (): Promise<void> => {
    try {
      for (const handle of handles) {
        handle.kill('SIGKILL');
        await handle.wait({ timeoutMs: TEST_WAIT_MS });
      }
    } finally {
      await folder[Symbol.asyncDispose]();
    }
  };
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
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
};

/** Waits (at most `timeoutMs`) until a Unix socket accepts a connection. */
export const waitForSocket = (socketPath: string, timeoutMs = TEST_WAIT_MS): Promise<void> =>
  waitUntilConnectable(socketPath, { signal: AbortSignal.timeout(timeoutMs) });

/** Waits (at most `timeoutMs`) until a file exists and is not empty; its folder's changes wake it. */
export const waitForFile = async (target: string, timeoutMs = TEST_WAIT_MS): Promise<void> => {
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
