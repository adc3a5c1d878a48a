// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `CliError`. Codes are written once and never renamed; each is listed with its
 * meaning in the root README's error table.
 */
export type CliErrorCode =
  // A bad argument, option or config file: nothing was started (the same code in every layer)
  | 'ERR_INVALID_INPUT'
  // No VM of that name is recorded in the state folder
  | 'ERR_VM_NOT_FOUND'
  // A VM of that name is already recorded and running
  | 'ERR_VM_NAME_TAKEN'
  // This host lacks what the command needs (a Firecracker binary, /dev/kvm access)
  | 'ERR_HOST_NOT_READY'
  // The guest never answered: no boot marker on its serial console within the bound
  | 'ERR_GUEST_UNREACHABLE'
  // The VM is not in a state that allows the command (a snapshot of a VM that is gone)
  | 'ERR_WRONG_STATE'
  // A bounded wait ran out (a VM not gone within \`stop --timeout\`)
  | 'ERR_WAIT_TIMEOUT'
  // The background process of `run --detach` ended before it reported its VM running
  | 'ERR_SUPERVISOR_FAILED';

/** The error the `kindling` command raises itself; errors of the layers pass through unchanged. */
export class CliError<Code extends CliErrorCode = CliErrorCode> extends KindlingError<Code> {
  static {
    this.prototype.name = 'CliError';
  }
}

/** A bad argument or option, naming it, the value got and the fix. */
export const invalidInput = (subject: string, rule: string, got?: unknown): CliError =>
  new CliError('ERR_INVALID_INPUT', `${subject}: ${rule}, got ${JSON.stringify(got)}`);
