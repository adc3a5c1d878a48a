// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { FakeVmmError } from '../firecracker/errors.js';
import { FakeEnvSwitchError, readFakeEnvSwitches, type FakeEnvConfig } from './env-switches.js';

export {
  DEFAULT_BOOT_MARKER,
  DEFAULT_VSOCK_SERVICES,
  FAKE_ENV,
  formatFakeEnv,
  parseExitRules,
  parseResponseFaults,
  parseVsockServices,
  type FakeCtrlAltDel,
  type FakeEnvConfig,
  type FakeEnvOptions,
  type FakeExitOutcome,
  type FakeExitPoint,
  type FakeExitRule,
  type FakeResponseAction,
  type FakeResponseFault,
  type FakeVsockServiceKind,
} from './env-switches.js';

/**
 * Reads every `KINDLING_FAKE_*` switch from `env`, applying defaults; a bad value throws
 * `FakeVmmError` `ERR_FAKE_ENV` naming the variable, its value and the expected syntax.
 */
export const parseFakeEnv = (env: NodeJS.ProcessEnv): FakeEnvConfig => {
  try {
    return readFakeEnvSwitches(env);
  } catch (error) {
    if (error instanceof FakeEnvSwitchError) {
      throw new FakeVmmError('ERR_FAKE_ENV', error.message, { cause: error });
    }
    throw error;
  }
};
