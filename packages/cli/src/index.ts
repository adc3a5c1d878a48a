// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Runs the `kindling` command in this process: what the bin does. */
export { runCli, type RunCliOptions } from './run-cli.js';
/** The exit codes of `kindling`, stable for scripts. */
export { EXIT_CODES, exitCodeOf, type ExitCode } from './exit-codes.js';
/** The error the command raises itself, with a stable `code` from `CliErrorCode`. */
export { CliError, type CliErrorCode } from './errors.js';
/** Where the command writes. */
export type { CliIo } from './output.js';
/** What the command records of each VM it started, in `<state>/vms/<name>/record.json`. */
export type { VmRecord } from './host/vm-records.js';
/** One line of `kindling doctor`. */
export type { DoctorCheck } from './host/doctor-checks.js';
