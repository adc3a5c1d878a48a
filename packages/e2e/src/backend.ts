// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { accessSync, constants } from 'node:fs';
import { testBackend } from '@kindling/fake-vmm';
import { isRoot } from '@kindling/test-utils';
import type { HarnessGuest } from '@kindling/test-vm';
import { inject } from 'vitest';
import { guestOf } from './guest-of.ts';

/** The backend's name in the report. */
export const BACKEND = testBackend.kind === 'real' ? 'firecracker' : 'fake-vmm';

/** The guest a real Firecracker boots: KINDLING_KERNEL and KINDLING_INITRD. */
export const realGuest: HarnessGuest | undefined = guestOf(testBackend);

// Probed once per run by the global set-up.
const kvm = inject('noUsableKvm') ?? undefined;

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

const kvmDeviceProblem = (): string | undefined => {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return undefined;
  } catch (error) {
    return `no KVM: /dev/kvm cannot be opened (${(error as NodeJS.ErrnoException).code})`;
  }
};

/**
 * Why Firecracker cannot even start a VM here (undefined when it can). A started VM's guest may
 * still never boot (see `noRunningVm`): the VMM-level scenarios need only this, and settle what
 * Firecracker itself does (states, API answers, snapshots, devices, metrics, signals).
 */
export const noStartedVm: string | undefined =
  testBackend.kind === 'fake'
    ? undefined
    : realGuest === undefined
      ? 'no guest: set KINDLING_KERNEL and KINDLING_INITRD (`pnpm xtask guest` builds one)'
      : kvmDeviceProblem();

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

/** What a scenario's title ends with: the reason it is skipped, when it is ('' when it runs). */
export const skipNote = (reason: string | undefined): string =>
  reason === undefined ? '' : ` [skipped: ${reason}]`;
