// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { isKindlingError } from '@kindling/spawner';
import type { Vm } from '@kindling/vm';
import { CliError } from '../errors.js';
import { detectSoftwareKvm } from '../host/doctor-checks.js';
import type { DemoBackend } from './demo-backend.js';

/** What waiting for the guest takes. */
export interface GuestWait {
  readonly marker: string;
  readonly guestTimeoutMs: number;
}

// The guest never said it was up: on a software KVM that is the likely reason, so say it.
export const waitForGuest = async (vm: Vm, options: GuestWait, backend: DemoBackend) => {
  try {
    await vm.waitForSerialLine(options.marker, { timeoutMs: options.guestTimeoutMs });
  } catch (error) {
    if (!isKindlingError(error) || !['ERR_WAIT_TIMEOUT', 'ERR_SERIAL_ENDED'].includes(error.code)) {
      throw error;
    }
    const software = backend.kind === 'real' ? await detectSoftwareKvm() : undefined;
    throw new CliError(
      'ERR_GUEST_UNREACHABLE',
      `The guest did not print "${options.marker}" within ${options.guestTimeoutMs} ms (${error.message})${
        software === undefined
          ? ': check the kernel and its boot output (kindling run --kernel … shows the console)'
          : `: this host's KVM is a software one (${software}), where guests do not boot; run the demo on a host with hardware virtualisation, or with --fake`
      }`,
      { cause: error },
    );
  }
};
