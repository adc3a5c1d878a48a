// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { FakeVmmError } from '../firecracker/errors.js';
import {
  FakeEnvSwitchError,
  parseExitRules as parseExitRulesSwitch,
  parseResponseFaults as parseResponseFaultsSwitch,
  parseVsockServices as parseVsockServicesSwitch,
  readFakeEnvSwitches,
  type FakeEnvConfig,
  type FakeExitRule,
  type FakeResponseFault,
  type FakeVsockServiceKind,
} from './env-switches.js';

export {
  DEFAULT_BOOT_MARKER,
  DEFAULT_VSOCK_SERVICES,
  FAKE_ENV,
  formatFakeEnv,
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

// The switch parsers throw their own error class inside the fakes; callers get FakeVmmError.
const asFakeEnvError = <T>(parse: () => T): T => {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FakeEnvSwitchError) {
      throw new FakeVmmError('ERR_FAKE_ENV', error.message, { cause: error });
    }
    throw error;
  }
};

/**
 * Reads every `KINDLING_FAKE_*` switch from `env`, applying defaults; a bad value throws
 * `FakeVmmError` `ERR_FAKE_ENV` naming the variable, its value and the expected syntax.
 */
export const parseFakeEnv = (env: NodeJS.ProcessEnv): FakeEnvConfig =>
  asFakeEnvError(() => readFakeEnvSwitches(env));

/** Parses a `KINDLING_FAKE_EXIT` value; a bad one throws `FakeVmmError` `ERR_FAKE_ENV`. */
export const parseExitRules = (value: string): FakeExitRule[] =>
  asFakeEnvError(() => parseExitRulesSwitch(value));

/** Parses a `KINDLING_FAKE_RESPONSE_FAULTS` value; a bad one throws `FakeVmmError` `ERR_FAKE_ENV`. */
export const parseResponseFaults = (value: string): FakeResponseFault[] =>
  asFakeEnvError(() => parseResponseFaultsSwitch(value));

/** Parses a `KINDLING_FAKE_VSOCK_SERVICES` value; a bad one throws `FakeVmmError` `ERR_FAKE_ENV`. */
export const parseVsockServices = (value: string): Map<number, FakeVsockServiceKind> =>
  asFakeEnvError(() => parseVsockServicesSwitch(value));
