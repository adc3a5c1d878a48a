// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { testBackend } from '@kindling/fake-vmm';
import { isRoot } from '@kindling/test-utils';
import type { HarnessGuest } from '@kindling/test-vm';
import { probeKvm } from './kvm-probe.ts';

/** The backend's name in the report. */
export const BACKEND = testBackend.kind === 'real' ? 'firecracker' : 'fake-vmm';

/** The marker `pnpm xtask guest`'s guest prints once its services are up. */
export const REAL_GUEST_MARKER = 'kindling-guest: ready';

/** The guest a real Firecracker boots: KINDLING_KERNEL and KINDLING_INITRD. */
export const realGuest: HarnessGuest | undefined =
  testBackend.kind === 'real' && testBackend.kernelPath !== undefined
    ? {
        kernelPath: testBackend.kernelPath,
        ...(testBackend.initrdPath === undefined ? {} : { initrdPath: testBackend.initrdPath }),
        // Node and its libraries live in the initramfs, which the kernel unpacks into memory.
        memSizeMib: 512,
        marker: REAL_GUEST_MARKER,
      }
    : undefined;

const kvm = testBackend.kind === 'real' && realGuest !== undefined ? await probeKvm(testBackend.firecrackerPath, realGuest) : undefined;

/**
 * Why a VM cannot run here (undefined when it can): on the fake always; on a real Firecracker
 * with a guest and a KVM that runs it.
 */
export const noRunningVm: string | undefined =
  testBackend.kind === 'fake'
    ? undefined
    : realGuest === undefined
      ? 'no guest: set KINDLING_KERNEL and KINDLING_INITRD (`pnpm xtask guest` builds one)'
      : kvm;

/** Why the guest's services cannot be reached (a running VM is needed first). */
export const noGuest: string | undefined = noRunningVm;

/** Why the jailer cannot run here. */
export const noJailer: string | undefined =
  testBackend.kind === 'fake'
    ? undefined
    : testBackend.jailerPath === undefined
      ? 'KINDLING_JAILER is unset'
      : isRoot
        ? undefined
        : 'the jailer needs root';

/** A scenario title with the reason it is skipped, when it is. */
export const titled = (title: string, reason: string | undefined): string =>
  reason === undefined ? title : `${title} [skipped: ${reason}]`;
