// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * How a process ended, as far as it is known: an exit code, a signal, or neither when a detached
 * process was seen to vanish without its status.
 */
export interface ExitDescription {
  readonly code?: number | null;
  readonly signal?: string | null;
}

/** Words for an end: `exited with code 1`, `was killed by SIGKILL`, or that it is unknown. */
export const describeExit = (exit: ExitDescription): string => {
  if (typeof exit.code === 'number') {
    return `exited with code ${exit.code}`;
  }
  if (typeof exit.signal === 'string') {
    return `was killed by ${exit.signal}`;
  }
  return 'ended (its exit status could not be seen)';
};
