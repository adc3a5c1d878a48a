// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { FAKE_CGROUP_FILES_DIR } from '@kindling/fake-vmm';

/**
 * What a test folder's `cgroup/` (the fake jailer's cgroup root) keeps after every VM is gone,
 * as a pattern source for a `keep` RegExp: the v1 controller hierarchies, the shared parent
 * cgroup `firecracker` (the jailer's default, the exec file's name) with its
 * `cgroup.subtree_control`, and the fake's store of interface files (kernel memory on a real
 * host). A VM's own cgroup, `cgroup/[<controller>/]firecracker/<id>`, is never kept.
 */
export const CGROUP_ROOT_SET_UP = String.raw`^cgroup/[^/]+$|^cgroup/([^/]+/)?firecracker(/cgroup\.subtree_control)?$|^cgroup/${FAKE_CGROUP_FILES_DIR}/`;

/**
 * What is left below `folder` besides the paths `keep` matches (relative, POSIX): each file or
 * folder as its relative path, a socket or FIFO with its kind after it (`run/a.sock (socket)`).
 */
export const listLeftoverFiles = async (folder: string, keep: RegExp): Promise<string[]> => {
  const found: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    const relative = path.relative(folder, path.join(entry.parentPath, entry.name));
    if (keep.test(relative)) {
      continue;
    }
    const kind = entry.isSocket() ? ' (socket)' : entry.isFIFO() ? ' (fifo)' : '';
    found.push(`${relative}${kind}`);
  }
  return found.toSorted();
};

// A zombie has exited: only its parent's wait is missing, so it counts as gone.
const isRunning = async (pid: number): Promise<boolean> => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

/** The pids among `pids` that still run (a zombie does not). */
export const listLeftoverProcesses = async (pids: readonly number[]): Promise<number[]> => {
  const running: number[] = [];
  for (const pid of pids) {
    if (await isRunning(pid)) {
      running.push(pid);
    }
  }
  return running;
};
