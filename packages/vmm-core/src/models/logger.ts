// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import {
  denyUnknownFields,
  expecting,
  serdeOption,
  wireBoolean,
  wireString,
} from './wire-types.js';

/** The logger levels Firecracker knows, in its own spelling; it reads them case-insensitively. */
export const LOGGER_LEVELS = ['Off', 'Trace', 'Debug', 'Info', 'Warn', 'Warning', 'Error'] as const;

const LEVEL_PATTERN = new RegExp(`^(?:${LOGGER_LEVELS.join('|')})$`, 'iu');

/**
 * The zod schema of a log level: `Off`, `Trace`, `Debug`, `Info`, `Warn` (or `Warning`) or
 * `Error`, in any case, as Firecracker reads it (`"Invalid LevelFilter"` otherwise). Unlike other
 * optional fields, `null` is refused: Firecracker's reader expects a string.
 */
export const loggerLevelSchema = z.string(expecting('a log level string')).regex(LEVEL_PATTERN, {
  error: `must be one of ${LOGGER_LEVELS.join(', ')}, in any case (Firecracker: "Invalid LevelFilter")`,
});

/**
 * A log level such as `Info` or `debug`.
 *
 * @useDeclaredType
 */
export type LoggerLevel = z.infer<typeof loggerLevelSchema>;

/**
 * The zod schema of a `Logger` (`PUT /logger`, before boot; `logger` in a config file). Every
 * field is optional; unknown fields are rejected.
 *
 * A PUT without `level` resets the level to Info, which is Firecracker's default (its doc says
 * Warning; the code says Info). Without `log_path` the log goes to Firecracker's stdout. The file
 * is opened without truncating: use a fresh file or a FIFO.
 */
export const loggerSchema = denyUnknownFields('Logger', {
  /** Host path of the log file or FIFO. */
  log_path: serdeOption(wireString('a path string')),
  /** Minimum level logged; Info when omitted. */
  level: loggerLevelSchema.optional(),
  /** Prefix each line with its level. */
  show_level: serdeOption(wireBoolean()),
  /** Prefix each line with the file and line that logged it. */
  show_log_origin: serdeOption(wireBoolean()),
  /** Log only messages whose module path starts with this, e.g. `api_server::request`. */
  module: serdeOption(wireString()),
});

/**
 * Firecracker's logger configuration (Rust `LoggerConfig`).
 *
 * @interface
 */
export type LoggerConfig = z.infer<typeof loggerSchema>;
