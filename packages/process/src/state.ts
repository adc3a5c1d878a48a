// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { ProcessError } from './errors.js';

/**
 * Where a `VmmProcess` is in its life: prepared resources await `invoke()` in `awaiting-start`;
 * `started` lasts until the process ends, cleanly (`exited`, code 0) or not (`crashed`: a non-zero
 * code, a signal, or an exit whose status could not be seen).
 */
export type VmmProcessState =
  'awaiting-prepare' | 'awaiting-start' | 'started' | 'exited' | 'crashed';

/** Whether a state is one a process cannot leave: it has ended. */
export const isEndState = (state: VmmProcessState): state is 'exited' | 'crashed' =>
  state === 'exited' || state === 'crashed';

/**
 * Throws `ERR_WRONG_STATE` unless `state` is one of `allowed`; the message names the call, the
 * state the process is in and the states the call needs.
 */
export const assertState = (
  state: VmmProcessState,
  allowed: readonly VmmProcessState[],
  call: string,
): void => {
  if (!allowed.includes(state)) {
    const needed = allowed.map((item) => `"${item}"`).join(' or ');
    throw new ProcessError(
      'ERR_WRONG_STATE',
      `${call} needs the VMM process to be ${needed}, but it is "${state}"`,
    );
  }
};
