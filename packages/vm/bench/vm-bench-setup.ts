// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// What the Vm benchmarks share (not a benchmark itself): the backend (fake-vmm or the real
// Firecracker), its installation, the guest's configuration, and the executors of both modes.

import path from 'node:path';
import { JailedExecutor, UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';
import * as fake from '@kindling/fake-vmm';
import type { ApiVmConfiguration } from '@kindling/vm';
import {
  JailerArguments,
  VmmArguments,
  VmmInstallation,
  type OwnershipModel,
} from '@kindling/vmm-core';
import { createBenchBackend, type BenchBackend } from '../../../tooling/bench-backend.ts';

/** The jail's user: nobody, so that the ownership change is real. */
export const JAIL_USER = { uid: 65_534, gid: 65_534 } as const;

/** A backend with what a Vm needs of it. */
export interface VmBenchSetup extends AsyncDisposable {
  readonly backend: BenchBackend;
  readonly installation: VmmInstallation;
  /** The guest as a new VM configured through the API. */
  readonly configuration: ApiVmConfiguration;
  /** An unrestricted executor whose socket is `<runDir>/<id>.sock`. */
  unrestricted(runDir: string, id: string): { executor: VmmExecutor; ownership: OwnershipModel };
  /** A jailed executor (daemonized, new pid namespace, as nobody) with jails under `base`. */
  jailed(base: string, id: string): { executor: VmmExecutor; ownership: OwnershipModel };
}

/** Makes the backend (`<tmpdir>/kindling-bench-<name>-*`) and what a Vm needs of it. */
export const createVmBenchSetup = async (name: string): Promise<VmBenchSetup> => {
  const backend = await createBenchBackend(fake, name);
  const { guest } = backend;
  return {
    backend,
    installation: new VmmInstallation({
      firecrackerPath: backend.firecrackerPath,
      jailerPath: backend.jailerPath ?? '/nonexistent/KINDLING_JAILER-is-unset',
      snapshotEditorPath: backend.snapshotEditorPath,
    }),
    configuration: {
      bootSource: {
        kernel_image_path: guest.kernelPath,
        boot_args: guest.bootArgs,
        ...(guest.initrdPath === undefined ? {} : { initrd_path: guest.initrdPath }),
      },
      machineConfig: { vcpu_count: guest.vcpuCount, mem_size_mib: guest.memSizeMib },
    },
    unrestricted: (runDir, id) => ({
      executor: new UnrestrictedExecutor({
        vmmArguments: new VmmArguments({ apiSocket: path.join(runDir, `${id}.sock`), id }),
      }),
      ownership: { kind: 'shared' },
    }),
    jailed: (base, id) => ({
      executor: new JailedExecutor({
        vmmArguments: new VmmArguments({}),
        jailerArguments: new JailerArguments({
          id,
          execFile: backend.firecrackerPath,
          ...JAIL_USER,
          chrootBaseDir: base,
          daemonize: true,
          newPidNs: true,
        }),
      }),
      ownership: { kind: 'downgraded', ...JAIL_USER },
    }),
    [Symbol.asyncDispose]: () => backend[Symbol.asyncDispose](),
  };
};
