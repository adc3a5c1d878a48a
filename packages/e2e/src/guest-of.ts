// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { TestBackend } from '@kindling/fake-vmm';
import type { HarnessGuest } from '@kindling/test-vm';

/** The marker `pnpm xtask guest`'s guest prints once its services are up. */
export const REAL_GUEST_MARKER = 'kindling-guest: ready';

/** The guest a real Firecracker boots (KINDLING_KERNEL and KINDLING_INITRD), if any. */
export const guestOf = (backend: TestBackend): HarnessGuest | undefined =>
  backend.kind === 'real' && backend.kernelPath !== undefined
    ? {
        kernelPath: backend.kernelPath,
        ...(backend.initrdPath === undefined ? {} : { initrdPath: backend.initrdPath }),
        // Node and its libraries live in the initramfs, which the kernel unpacks into memory.
        memSizeMib: 512,
        marker: REAL_GUEST_MARKER,
      }
    : undefined;
