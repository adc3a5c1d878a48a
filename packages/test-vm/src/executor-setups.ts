// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import {
  JailedExecutor,
  UnrestrictedExecutor,
  type ProcessHandleExit,
  type VmmExecutor,
} from '@kindling/executor';
import { isRoot, TEST_WAIT_MS } from '@kindling/test-utils';
import {
  JailerArguments,
  VmmArguments,
  type OwnershipModel,
  type VmmInstallation,
} from '@kindling/vmm-core';

/** The executor and ownership model of one VM. */
export interface ExecutorChoice {
  readonly executor: VmmExecutor;
  readonly ownership: OwnershipModel;
}

/** One way to run Firecracker, for `describe.each`. */
export interface ExecutorSetup {
  readonly name: string;
  /** A short tag for folder names and VM ids. */
  readonly tag: string;
  /** How the end of a process killed by SIGKILL looks. */
  readonly killedExit: ProcessHandleExit;
  /** The executor of a VM with this id, whose files go under `dir`. */
  create(dir: string, installation: VmmInstallation, id: string): ExecutorChoice;
}

// The jail's user: `nobody` when root, so the ownership change is real; else our own ids.
const jailOwner = isRoot
  ? { uid: 65_534, gid: 65_534 }
  : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

/** Firecracker run directly, as this user. */
export const unrestricted: ExecutorSetup = {
  name: 'unrestricted',
  tag: 'u',
  killedExit: { kind: 'signaled', signal: 'SIGKILL' },
  create: (dir, _installation, id) => ({
    executor: new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ apiSocket: path.join(dir, 'run', `${id}.sock`), id }),
    }),
    ownership: { kind: 'shared' },
  }),
};

/** Firecracker under the jailer: daemonized, in a new pid namespace, as `nobody` when root. */
export const jailed: ExecutorSetup = {
  name: 'jailed (daemonize, new pid ns)',
  tag: 'j',
  // A detached process is not our child: how it ended cannot be seen.
  killedExit: { kind: 'unknown' },
  create: (dir, installation, id) => ({
    executor: new JailedExecutor({
      vmmArguments: new VmmArguments({}),
      jailerArguments: new JailerArguments({
        id,
        execFile: installation.firecrackerPath,
        ...jailOwner,
        chrootBaseDir: path.join(dir, 'jail'),
        daemonize: true,
        newPidNs: true,
      }),
      // The jailer's pid file, like the socket, may take long on a loaded CI host.
      pidFileTimeoutMs: TEST_WAIT_MS,
    }),
    ownership: isRoot ? { kind: 'downgraded', ...jailOwner } : { kind: 'shared' },
  }),
};

/** Both setups, for `describe.each`. */
export const SETUPS: readonly ExecutorSetup[] = [unrestricted, jailed];
