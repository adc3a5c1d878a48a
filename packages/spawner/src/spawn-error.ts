// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from './kindling-error.js';

/**
 * The codes of `SpawnError`. Codes are written once and never renamed; each is listed with its
 * meaning in the package README.
 */
export type SpawnErrorCode =
  // A binary, an argument or an option was rejected before anything was spawned.
  | 'ERR_INVALID_INPUT'
  // The process could not be started: missing binary, not executable, bad working directory.
  | 'ERR_SPAWN_FAILED'
  // sudo or su neither started the command nor failed within the start timeout.
  | 'ERR_SPAWN_TIMEOUT'
  // sudo wants a password and none was given.
  | 'ERR_SUDO_PASSWORD_REQUIRED'
  // sudo asked again after the given password: the password is wrong.
  | 'ERR_SUDO_PASSWORD_REJECTED'
  // su wants a password and none was given.
  | 'ERR_SU_PASSWORD_REQUIRED'
  // su refused the given password.
  | 'ERR_SU_AUTHENTICATION_FAILED'
  // sudo or su exited before starting the command for another reason (e.g. not permitted).
  | 'ERR_ELEVATION_FAILED';

/** The error every spawner throws; `code` says which rule or step failed. */
export class SpawnError extends KindlingError<SpawnErrorCode> {
  static {
    this.prototype.name = 'SpawnError';
  }
}
