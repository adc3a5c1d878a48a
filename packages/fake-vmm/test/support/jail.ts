// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveFakeBin } from '../../src/package-paths.js';
import { createFakeInstallation } from '../../src/testing/fake-installation.js';
import { waitUntilConnectable } from '@kindling/helpers';

/** A scratch area for jailer tests: an installation, a chroot base and a cgroup root. */
export interface JailSandbox {
  readonly dir: string;
  readonly execFile: string;
  readonly base: string;
  readonly cgroupRoot: string;
  /** `<base>/firecracker/<id>/root`. */
  readonly rootOf: (id: string) => string;
  /** The jailer's flags for `id` as `uid:gid`, before any extra ones. */
  readonly args: (id: string, uid?: number, gid?: number) => string[];
  readonly env: NodeJS.ProcessEnv;
  readonly remove: () => Promise<void>;
}

/** Creates a sandbox whose folders a dropped uid can walk through (mode 0755). */
export const createJailSandbox = async (): Promise<JailSandbox> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kindling-jailer-test-'));
  const base = path.join(dir, 'jail');
  let installation;
  try {
    await chmod(dir, 0o755);
    installation = await createFakeInstallation(path.join(dir, 'bin'));
    await mkdir(base, { mode: 0o755 });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const cgroupRoot = path.join(dir, 'cgroup');
  return {
    dir,
    execFile: installation.firecrackerPath,
    base,
    cgroupRoot,
    rootOf: (id) => path.join(base, 'firecracker', id, 'root'),
    args: (id, uid = process.getuid?.() ?? 0, gid = process.getgid?.() ?? 0) => [
      '--id',
      id,
      '--exec-file',
      installation.firecrackerPath,
      '--uid',
      String(uid),
      '--gid',
      String(gid),
      '--chroot-base-dir',
      base,
    ],
    env: { ...process.env, KINDLING_FAKE_CGROUP_ROOT: cgroupRoot, NOT_KEPT: 'by the jailer' },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
};

/**
 * Spawns the fake jailer with piped stdio, as another user when `as` is given (root only), with
 * the Node executable at `nodePath` (default: this one).
 */
export const spawnJailer = (
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  as?: { readonly uid: number; readonly gid: number },
  nodePath = process.execPath,
): ChildProcess =>
  spawn(nodePath, [resolveFakeBin('fake-jailer'), ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...as,
  });

/** Waits (up to 10 s) until the API socket of the jail accepts connections. */
export const waitForJailSocket = (root: string): Promise<void> =>
  waitUntilConnectable(path.join(root, 'run', 'firecracker.socket'), {
    signal: AbortSignal.timeout(10_000),
  });

/** Kills a child with SIGKILL and waits for it to be gone. */
export const killChild = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
};

/** The `Uid:`/`Gid:`/`Groups:` lines of `/proc/<pid>/status`, as arrays of numbers. */
export const readCredentials = async (
  pid: number,
): Promise<{ uid: number[]; gid: number[]; groups: number[] }> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const line = (name: string): number[] =>
    (new RegExp(`^${name}:(.*)$`, 'mu').exec(status)?.[1] ?? '')
      .trim()
      .split(/\s+/u)
      .filter(Boolean)
      .map(Number);
  return { uid: line('Uid'), gid: line('Gid'), groups: line('Groups') };
};

/** The device numbers of a character device, from `stat().rdev`. */
export const deviceNumbers = (rdev: number): [major: number, minor: number] => [
  Math.trunc(rdev / 256) % 4096,
  (rdev % 256) + Math.trunc(rdev / 1_048_576) * 256,
];
