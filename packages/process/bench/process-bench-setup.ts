// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// What lifecycle.bench.ts runs a VmmProcess with (not a benchmark itself): the backend (fake-vmm
// or the real Firecracker), and for each mode the executor, the context with the guest's files as
// resources, and the baseline's options for the same VM.

import path from 'node:path';
import { JailedExecutor, UnrestrictedExecutor } from '@kindling/executor';
import * as fake from '@kindling/fake-vmm';
import type { VmmProcessOptions } from '@kindling/process';
import { DirectSpawner } from '@kindling/spawner';
import {
  JailerArguments,
  ResourceSystem,
  VmmArguments,
  VmmInstallation,
  type Resource,
} from '@kindling/vmm-core';
import { createBenchBackend, type BenchBackend } from '../../../tooling/bench-backend.ts';
import type { BaselineJail } from '../../../tooling/bench-baseline.ts';

// The jail's user: nobody, so that the ownership change is real.
const JAIL_USER = { uid: 65_534, gid: 65_534 } as const;

/** One VM's VmmProcess options, and its kernel and initrd as resources (moved into a jail). */
export interface ProcessBenchVm {
  readonly options: VmmProcessOptions;
  readonly kernel: Resource;
  readonly initrd: Resource | undefined;
}

/** How one mode runs a VM, for Kindling and for the baseline. */
export interface ProcessBenchMode {
  readonly name: 'unrestricted' | 'jailed';
  kindling(id: string): ProcessBenchVm;
  baseline(id: string): { socketPath?: string; jail?: BaselineJail };
}

/** The backend and its installation; `mode()` makes the two modes' runners. */
export interface ProcessBenchSetup extends AsyncDisposable {
  readonly backend: BenchBackend;
  unrestricted(runDir: string): ProcessBenchMode;
  jailed(jailerPath: string, bases: Record<'k' | 'b', string>): ProcessBenchMode;
}

export const createProcessBenchSetup = async (name: string): Promise<ProcessBenchSetup> => {
  const backend = await createBenchBackend(fake, name);
  const { guest } = backend;
  const installation = new VmmInstallation({
    firecrackerPath: backend.firecrackerPath,
    jailerPath: backend.jailerPath ?? '/nonexistent/KINDLING_JAILER-is-unset',
    snapshotEditorPath: backend.snapshotEditorPath,
  });
  const vmWith = (
    executor: VmmProcessOptions['executor'],
    resourceSystem: ResourceSystem,
  ): ProcessBenchVm => {
    const moved = { kind: 'moved', method: 'hard-link-or-copy' } as const;
    return {
      options: {
        executor,
        context: { installation, spawner: new DirectSpawner(), resourceSystem },
      },
      kernel: resourceSystem.createResource(guest.kernelPath, moved),
      initrd:
        guest.initrdPath === undefined
          ? undefined
          : resourceSystem.createResource(guest.initrdPath, moved),
    };
  };
  return {
    backend,
    unrestricted: (runDir) => ({
      name: 'unrestricted',
      kindling: (id) =>
        vmWith(
          new UnrestrictedExecutor({
            vmmArguments: new VmmArguments({ apiSocket: path.join(runDir, `${id}.sock`), id }),
          }),
          new ResourceSystem(),
        ),
      baseline: (id) => ({ socketPath: path.join(runDir, `${id}.sock`) }),
    }),
    jailed: (jailerPath, bases) => ({
      name: 'jailed',
      kindling: (id) =>
        vmWith(
          new JailedExecutor({
            vmmArguments: new VmmArguments({}),
            jailerArguments: new JailerArguments({
              id,
              execFile: backend.firecrackerPath,
              ...JAIL_USER,
              chrootBaseDir: bases.k,
              daemonize: true,
              newPidNs: true,
            }),
          }),
          new ResourceSystem({ ownership: { kind: 'downgraded', ...JAIL_USER } }),
        ),
      baseline: () => ({ jail: { jailerPath, chrootBaseDir: bases.b, ...JAIL_USER } }),
    }),
    [Symbol.asyncDispose]: () => backend[Symbol.asyncDispose](),
  };
};
