// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { findBinary } from '../host/binaries.js';

/** What the demo boots: a real Firecracker and guest, or the fakes. */
export interface DemoBackend {
  readonly kind: 'real' | 'fake';
  readonly installation: {
    readonly firecrackerPath: string;
    readonly jailerPath: string;
    readonly snapshotEditorPath: string;
  };
  readonly kernelPath: string;
  readonly initrdPath?: string;
  /** The first line the demo prints: what it runs against, and why. */
  readonly headline: string;
}

/**
 * A real Firecracker when one is found and `KINDLING_KERNEL` names a guest kernel (a real VM
 * needs both); otherwise `@kindling/fake-vmm` and its fake kernel, written into `dir`.
 */
export const resolveDemoBackend = async (
  env: NodeJS.ProcessEnv,
  dir: string,
  forceFake: boolean,
): Promise<DemoBackend> => {
  const firecracker = findBinary('firecracker', env);
  const kernel = env['KINDLING_KERNEL'];
  if (!forceFake && firecracker !== undefined && kernel !== undefined && kernel !== '') {
    const initrd = env['KINDLING_INITRD'];
    return {
      kind: 'real',
      installation: {
        firecrackerPath: firecracker.path,
        jailerPath: findBinary('jailer', env)?.path ?? '/nonexistent/jailer',
        snapshotEditorPath:
          findBinary('snapshot-editor', env)?.path ?? '/nonexistent/snapshot-editor',
      },
      kernelPath: path.resolve(kernel),
      ...(initrd === undefined || initrd === '' ? {} : { initrdPath: path.resolve(initrd) }),
      headline: `kindling demo: a real Firecracker (${firecracker.path}) and guest (${kernel})`,
    };
  }
  const why = forceFake
    ? '--fake was given'
    : firecracker === undefined
      ? 'no Firecracker found (kindling install firecracker, or KINDLING_FIRECRACKER)'
      : 'no guest kernel named (KINDLING_KERNEL)';
  const installation = await createFakeInstallation(path.join(dir, 'bin'));
  return {
    kind: 'fake',
    installation: { ...installation },
    kernelPath: await writeFakeKernel(path.join(dir, 'vmlinux')),
    headline: `kindling demo: running against @kindling/fake-vmm, a stand-in for Firecracker that needs no KVM (${why})`,
  };
};
