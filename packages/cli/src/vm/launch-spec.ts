// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmConfigurationItems } from '@kindling/vm';

/** How a VM boots: new from configuration items, or restored from a snapshot. */
export type LaunchBoot =
  | {
      readonly kind: 'new';
      readonly items: VmConfigurationItems;
      /** A vsock device with this guest CID, its socket in the VM's folder. */
      readonly vsockCid?: number;
    }
  | {
      readonly kind: 'restore';
      readonly snapshotPath: string;
      readonly memPath: string;
      readonly resume: boolean;
      /** Where the restored VM's vsock socket goes (the snapshot's path is taken otherwise). */
      readonly vsockPath?: string;
    };

/**
 * Everything needed to start one VM, as plain data: `run --detach` hands it to its background
 * process over IPC.
 */
export interface LaunchSpec {
  readonly name: string;
  readonly boot: LaunchBoot;
  /** What booted it, for `ls` and `inspect`: a kernel, a config file or a snapshot. */
  readonly source: string;
  /** Under the jailer, as this uid and gid; unrestricted when absent. */
  readonly jail?: { readonly uid: number; readonly gid: number };
  readonly binaries: {
    readonly firecrackerPath: string;
    readonly jailerPath: string;
    readonly snapshotEditorPath: string;
  };
  readonly detached: boolean;
  readonly socketWaitTimeoutMs: number;
  /** A network of @kindling/ext-network (a TAP and a /30 of `pool`); none when absent. */
  readonly network?: LaunchNetwork;
}

/** What `--network`, `--netns`, `--egress` and `--pool` ask for. */
export interface LaunchNetwork {
  /** A network namespace of the VM's own (Firecracker runs in it). */
  readonly namespace: boolean;
  /** NAT egress to the outside world through the host. */
  readonly egress: boolean;
  /** The pool (CIDR) the VM's /30 comes from; ext-network's default when absent. */
  readonly pool?: string;
}

/** A VM name: it becomes Firecracker's `--id` and a folder name, so Firecracker's rule and more. */
export const VM_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,39}$/u;
