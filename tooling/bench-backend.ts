// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The Firecracker a lifecycle benchmark runs, and its guest: @kindling/fake-vmm by default, or
// the real binaries and guest named by KINDLING_FIRECRACKER, KINDLING_JAILER, KINDLING_KERNEL and
// KINDLING_INITRD. fake-vmm's helpers are passed in: this folder cannot resolve the packages.

import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchGuest } from './bench-lifecycle.ts';

/** The three fake-vmm helpers the backend needs, as `import * as fake from '@kindling/fake-vmm'`. */
export interface FakeVmmHelpers {
  readonly testBackend: { readonly kind: 'fake' | 'real' } & {
    readonly jailerPath?: string | undefined;
    readonly kernelPath?: string | undefined;
    readonly initrdPath?: string | undefined;
  };
  createTestInstallation(
    dir: string,
    switches?: { cgroupRoot?: string },
  ): Promise<{ firecrackerPath: string; jailerPath: string; snapshotEditorPath: string }>;
  writeFakeKernel(file: string): Promise<string>;
}

/** A temporary folder with the binaries and the guest; `dispose()` removes it. */
export interface BenchBackend extends AsyncDisposable {
  /** `fake-vmm` or `firecracker` (real). */
  readonly label: string;
  readonly dir: string;
  readonly firecrackerPath: string;
  readonly snapshotEditorPath: string;
  /** The jailer, or `undefined` when a real run has no KINDLING_JAILER. */
  readonly jailerPath: string | undefined;
  readonly guest: BenchGuest;
  /** A fresh folder under `dir`, made now (mode 0755, so a jail's user can walk through it). */
  folder(name: string): Promise<string>;
}

const BOOT_ARGS = 'console=ttyS0 reboot=k panic=1';

/** Makes the backend's folder (`<tmpdir>/kindling-bench-<name>-*`), binaries and guest. */
export const createBenchBackend = async (
  fake: FakeVmmHelpers,
  name: string,
): Promise<BenchBackend> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), `kindling-bench-${name}-`));
  try {
    // The fake jailer cannot chroot: the jail's user must be able to walk down to its jail.
    await chmod(dir, 0o755);
    const installation = await fake.createTestInstallation(path.join(dir, 'bin'), {
      cgroupRoot: path.join(dir, 'cgroup'),
    });
    const { testBackend } = fake;
    const real = testBackend.kind === 'real';
    const kernelPath = real ? testBackend.kernelPath : undefined;
    if (real && kernelPath === undefined) {
      throw new Error(
        'KINDLING_FIRECRACKER is set but KINDLING_KERNEL is not: a lifecycle boots a kernel',
      );
    }
    return {
      label: real ? 'firecracker' : 'fake-vmm',
      dir,
      firecrackerPath: installation.firecrackerPath,
      snapshotEditorPath: installation.snapshotEditorPath,
      jailerPath: real ? testBackend.jailerPath : installation.jailerPath,
      guest: {
        kernelPath: kernelPath ?? (await fake.writeFakeKernel(path.join(dir, 'vmlinux'))),
        initrdPath: real ? testBackend.initrdPath : undefined,
        bootArgs: BOOT_ARGS,
        vcpuCount: 1,
        memSizeMib: 128,
      },
      folder: async (folderName) => {
        const folder = path.join(dir, folderName);
        await mkdir(folder, { recursive: true, mode: 0o755 });
        return folder;
      },
      [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
};
