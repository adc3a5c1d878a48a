// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { isKindlingError } from '@kindling/spawner';

/** The exit codes of `kindling`, stable for scripts (the package README has the table). */
export const EXIT_CODES = {
  /** It worked. */
  ok: 0,
  /** Any other failure: read the message. */
  failed: 1,
  /** A bad command line or config file (`ERR_INVALID_INPUT`): nothing was done. */
  usage: 2,
  /** No VM of that name (`ERR_VM_NOT_FOUND`). */
  notFound: 3,
  /** Refused in this state: wrong VM state, name taken, or Firecracker answered an error. */
  refused: 4,
  /** This host cannot do it: Firecracker or /dev/kvm missing (`doctor` says what to fix). */
  hostNotReady: 5,
  /** A bounded wait ran out (the API socket, the guest, a shutdown). */
  timeout: 6,
  /** `run` attached: the VM crashed or had to be killed. */
  vmFailed: 7,
  /** Interrupted by Ctrl-C (SIGINT) before it was done. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

const BY_CODE: Readonly<Record<string, ExitCode>> = {
  ERR_INVALID_INPUT: EXIT_CODES.usage,
  ERR_VM_NOT_FOUND: EXIT_CODES.notFound,
  ERR_VM_NAME_TAKEN: EXIT_CODES.refused,
  // A server's answers (--server), through @kindling/client.
  ERR_VM_EXISTS: EXIT_CODES.refused,
  ERR_SERVER_TIMEOUT: EXIT_CODES.timeout,
  ERR_WRONG_STATE: EXIT_CODES.refused,
  ERR_API_RESPONSE: EXIT_CODES.refused,
  ERR_HOST_NOT_READY: EXIT_CODES.hostNotReady,
  ERR_BINARY_MISSING: EXIT_CODES.hostNotReady,
  ERR_BINARY_NOT_EXECUTABLE: EXIT_CODES.hostNotReady,
  ERR_BINARY_WRONG: EXIT_CODES.hostNotReady,
  ERR_BINARY_VERSION: EXIT_CODES.hostNotReady,
  ERR_WAIT_TIMEOUT: EXIT_CODES.timeout,
  ERR_SOCKET_WAIT_TIMEOUT: EXIT_CODES.timeout,
  ERR_API_TIMEOUT: EXIT_CODES.timeout,
  ERR_SHUTDOWN_TIMEOUT: EXIT_CODES.timeout,
  ERR_GUEST_UNREACHABLE: EXIT_CODES.timeout,
};

/** The exit code an error ends the command with. */
export const exitCodeOf = (error: unknown): ExitCode => {
  if (isKindlingError(error)) {
    return BY_CODE[error.code] ?? EXIT_CODES.failed;
  }
  return EXIT_CODES.failed;
};
