// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { JailedExecutor, UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';
import type { VmNetwork } from '@kindling/ext-network';
import {
  JailerArguments,
  VmmArguments,
  type OwnershipModel,
  type VmmInstallation,
} from '@kindling/vmm-core';

const isRoot = process.getuid?.() === 0;

/** The jail's user: `nobody` when root, so that the ownership change is real; else our own ids. */
export const JAIL_USER = isRoot
  ? { uid: 65_534, gid: 65_534 }
  : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

/** Where a load run's VM runs: its executor, and whose its files are. */
export interface LoadExecutor {
  readonly executor: VmmExecutor;
  readonly ownership: OwnershipModel;
}

/**
 * Firecracker run directly (inside the network's namespace when it has one), its API socket in
 * `<runDir>/run`; or under the jailer as the vm tests run it: daemonized, in a new pid namespace,
 * as `nobody` when root, its jail below `jailBaseDir`.
 */
export const createLoadExecutor = (options: {
  readonly jailed: boolean;
  readonly id: string;
  readonly runDir: string;
  readonly jailBaseDir: string;
  readonly installation: VmmInstallation;
  readonly network: VmNetwork;
  /** How long the jailer's Firecracker may take to write its pid file (a loaded host is slow). */
  readonly waitMs: number;
}): LoadExecutor => {
  const { id } = options;
  if (!options.jailed) {
    return {
      executor: new UnrestrictedExecutor({
        vmmArguments: new VmmArguments({
          apiSocket: path.join(options.runDir, 'run', `${id}.sock`),
          id,
        }),
        commandModifiers: options.network.commandModifiers,
      }),
      ownership: { kind: 'shared' },
    };
  }
  return {
    executor: new JailedExecutor({
      vmmArguments: new VmmArguments({}),
      jailerArguments: new JailerArguments({
        id,
        execFile: options.installation.firecrackerPath,
        ...JAIL_USER,
        chrootBaseDir: options.jailBaseDir,
        daemonize: true,
        newPidNs: true,
      }),
      pidFileTimeoutMs: options.waitMs,
    }),
    ownership: isRoot ? { kind: 'downgraded', ...JAIL_USER } : { kind: 'shared' },
  };
};
