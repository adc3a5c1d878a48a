// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type {
  ErrorMessage,
  ExitMessage,
  HelloMessage,
  OpenRequest,
  SignalMessage,
  WindowSize,
} from './messages.js';
import { ProtocolError } from './protocol-error.js';

type Json = Record<string, unknown>;

// Hand-written rather than zod: the agent runs in a guest on Node built-ins alone.
const fail = (field: string, rule: string, got: unknown): never => {
  const shown = JSON.stringify(got);
  throw new ProtocolError(
    'ERR_INVALID_INPUT',
    `${field}: expected ${rule}, got ${shown === undefined ? String(got) : shown.slice(0, 200)}`,
  );
};

/** The JSON payload of a frame as an object; a protocol error when it is not one. */
export const parseJsonPayload = (payload: Uint8Array, what: string): Json => {
  let value: unknown;
  try {
    value = JSON.parse(
      Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'),
    );
  } catch (error) {
    throw new ProtocolError('ERR_EXEC_PROTOCOL', `The ${what} payload is not JSON`, {
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('ERR_EXEC_PROTOCOL', `The ${what} payload is not a JSON object`);
  }
  return value as Json;
};

const checkKeys = (value: Json, subject: string, allowed: readonly string[]): void => {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      fail(`${subject}.${key}`, `one of the keys ${allowed.join(', ')}`, 'an unknown key');
    }
  }
};

const isNonNegativeInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const readString = (value: Json, key: string, subject: string): string => {
  const field = value[key];
  return typeof field === 'string' && field !== '' && !field.includes('\0')
    ? field
    : fail(`${subject}.${key}`, 'a non-empty string without NUL', field);
};

const readOptional = <T>(
  value: Json,
  key: string,
  check: (v: unknown) => v is T,
  subject: string,
  rule: string,
): T | undefined => {
  const field = value[key];
  return field === undefined || check(field) ? field : fail(`${subject}.${key}`, rule, field);
};

const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

const isPositiveCells = (value: unknown): value is number =>
  isNonNegativeInteger(value) && value >= 1 && value <= 0xff_ff;

/** A PTY window size: whole cells, 1 to 65535 each. */
export const parseWindowSize = (value: unknown, subject: string): WindowSize => {
  if (typeof value !== 'object' || value === null) {
    return fail(subject, 'an object { cols, rows }', value);
  }
  const size = value as Json;
  checkKeys(size, subject, ['cols', 'rows']);
  return {
    cols: isPositiveCells(size['cols'])
      ? size['cols']
      : fail(`${subject}.cols`, 'an integer from 1 to 65535', size['cols']),
    rows: isPositiveCells(size['rows'])
      ? size['rows']
      : fail(`${subject}.rows`, 'an integer from 1 to 65535', size['rows']),
  };
};

const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.entries(value).every(
    ([key, item]) => key !== '' && !key.includes('=') && typeof item === 'string',
  );

const parseExec = (value: Json): OpenRequest => {
  const subject = 'exec';
  checkKeys(value, subject, ['op', 'argv', 'env', 'cwd', 'uid', 'gid', 'pty', 'timeoutMs']);
  const argv = value['argv'];
  if (
    !Array.isArray(argv) ||
    argv.length === 0 ||
    !argv.every((arg) => typeof arg === 'string' && !arg.includes('\0'))
  ) {
    fail(`${subject}.argv`, 'a non-empty array of strings without NUL', argv);
  }
  const env = readOptional(value, 'env', isStringRecord, subject, 'an object of string values');
  const cwd = value['cwd'] === undefined ? undefined : readString(value, 'cwd', subject);
  const uid = readOptional(value, 'uid', isNonNegativeInteger, subject, 'a non-negative integer');
  const gid = readOptional(value, 'gid', isNonNegativeInteger, subject, 'a non-negative integer');
  const pty =
    value['pty'] === undefined ? undefined : parseWindowSize(value['pty'], `${subject}.pty`);
  const timeoutMs = readOptional(
    value,
    'timeoutMs',
    (v): v is number => isNonNegativeInteger(v) && v > 0,
    subject,
    'a positive integer',
  );
  return {
    op: 'exec',
    argv: argv as string[],
    ...(env === undefined ? {} : { env }),
    ...(cwd === undefined ? {} : { cwd }),
    ...(uid === undefined ? {} : { uid }),
    ...(gid === undefined ? {} : { gid }),
    ...(pty === undefined ? {} : { pty }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
};

/** An OPEN frame's request, checked field by field; `ERR_INVALID_INPUT` names the bad field. */
export const parseOpenRequest = (value: Json): OpenRequest => {
  const op = value['op'];
  switch (op) {
    case 'exec':
      return parseExec(value);
    case 'push':
    case 'pull':
    case 'stat':
    case 'list':
      checkKeys(value, op, ['op', 'path']);
      return { op, path: readString(value, 'path', op) };
    case 'remove': {
      checkKeys(value, op, ['op', 'path', 'recursive']);
      const recursive = readOptional(value, 'recursive', isBoolean, op, 'a boolean');
      return {
        op,
        path: readString(value, 'path', op),
        ...(recursive === undefined ? {} : { recursive }),
      };
    }
    case 'mkdir': {
      checkKeys(value, op, ['op', 'path', 'recursive', 'mode']);
      const recursive = readOptional(value, 'recursive', isBoolean, op, 'a boolean');
      const mode = readOptional(
        value,
        'mode',
        (v): v is number => isNonNegativeInteger(v) && v <= 0o7777,
        op,
        'permission bits from 0 to 0o7777',
      );
      return {
        op,
        path: readString(value, 'path', op),
        ...(recursive === undefined ? {} : { recursive }),
        ...(mode === undefined ? {} : { mode }),
      };
    }
    default:
      return fail('open.op', 'one of exec, push, pull, stat, list, remove, mkdir', op);
  }
};

/** A HELLO frame's message. */
export const parseHello = (value: Json): HelloMessage => {
  const protocol = value['protocol'];
  if (!isNonNegativeInteger(protocol)) {
    throw new ProtocolError(
      'ERR_EXEC_PROTOCOL',
      `HELLO has no integer protocol version (got ${JSON.stringify(protocol)})`,
    );
  }
  const agent = typeof value['agent'] === 'string' ? value['agent'] : undefined;
  const host = typeof value['host'] === 'string' ? value['host'] : undefined;
  return {
    protocol,
    ...(agent === undefined ? {} : { agent }),
    ...(host === undefined ? {} : { host }),
  };
};

/** A SIGNAL frame's message: an upper-case signal name. */
export const parseSignal = (value: Json): SignalMessage => {
  const signal = value['signal'];
  return typeof signal === 'string' && /^SIG[A-Z0-9]+$/u.test(signal)
    ? { signal }
    : fail('signal.signal', 'a signal name such as SIGTERM', signal);
};

/** An EXIT frame's message. */
export const parseExit = (value: Json): ExitMessage => {
  const exitCode = value['exitCode'];
  const signal = value['signal'];
  if (
    !(exitCode === null || isNonNegativeInteger(exitCode)) ||
    !(signal === null || typeof signal === 'string')
  ) {
    throw new ProtocolError(
      'ERR_EXEC_PROTOCOL',
      `EXIT has no exit code or signal (got ${JSON.stringify(value)})`,
    );
  }
  return { exitCode, signal, timedOut: value['timedOut'] === true };
};

/** An ERROR frame's message. */
export const parseErrorMessage = (value: Json): ErrorMessage => {
  const code = value['code'];
  const message = value['message'];
  return {
    code: typeof code === 'string' ? code : 'ERR_EXEC_PROTOCOL',
    message:
      typeof message === 'string'
        ? message
        : `An ERROR frame without a message: ${JSON.stringify(value)}`,
  };
};
