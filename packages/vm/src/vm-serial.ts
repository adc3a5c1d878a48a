// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import { VmError, errorMessageOf } from './errors.js';
import { checkWaitOptions } from './call-options.js';
import { failInput } from './input-checks.js';
import { SerialLines, type SerialLineMatch } from './serial-lines.js';

export type { SerialLineMatch } from './serial-lines.js';
import { openSerialFile } from './serial-source.js';
import type { VmCore } from './vm-core.js';
import { assertVmState } from './vm-state.js';

/** What `vm.waitForSerialLine()` takes. */
export interface SerialWaitOptions {
  /** Aborting rejects the wait with the signal's reason. */
  readonly signal?: AbortSignal;
  /** How long to wait (default 30 000 ms; `Infinity` for no bound). */
  readonly timeoutMs?: number;
}

const CALLER = 'vm.waitForSerialLine()';
const DEFAULT_SERIAL_WAIT_MS = 30_000;
const SERIAL_FIELD = 'serial.serial_out_path';

// One reader per VM, made at the first wait: the serial output can be read only once.
const readers = new WeakMap<
  VmCore,
  { readonly fromStdout: boolean; lines: Promise<SerialLines> }
>();

const stdoutUnavailable = (reason: string, options?: ErrorOptions): VmError =>
  new VmError(
    'ERR_SERIAL_UNAVAILABLE',
    `${CALLER}: the serial console is Firecracker's stdout, which cannot be read here (${reason}): configure serial.serial_out_path, or read the stream vm.takeStdout() returned`,
    options,
  );

const openStdout = (core: VmCore): Readable => {
  // A detached Firecracker's stdout is not ours: what the process held was the jailer's.
  if (!core.attached) {
    throw stdoutUnavailable('Firecracker runs detached, under a daemonized jailer');
  }
  try {
    return core.takeStream('stdout');
  } catch (error) {
    throw stdoutUnavailable(errorMessageOf(error), { cause: error });
  }
};

const openReader = async (core: VmCore, file: string | undefined): Promise<SerialLines> => {
  if (file === undefined) {
    return new SerialLines(openStdout(core), "Firecracker's stdout (the serial console)");
  }
  try {
    return new SerialLines(await openSerialFile(file, core.exitSeen), `the serial output ${file}`);
  } catch (error) {
    throw new VmError(
      'ERR_SERIAL_UNAVAILABLE',
      `${CALLER}: could not read the serial output ${file}: ${errorMessageOf(error)}`,
      { cause: error },
    );
  }
};

const readerOf = (core: VmCore): Promise<SerialLines> => {
  const existing = readers.get(core);
  if (existing !== undefined) {
    return existing.lines;
  }
  assertVmState(core.view(), ['process-up'], CALLER);
  const file = core.files.get(SERIAL_FIELD)?.effectivePath;
  const reader = { fromStdout: file === undefined, lines: openReader(core, file) };
  readers.set(core, reader);
  // A reader that could not open is forgotten, so that a later wait tries again.
  reader.lines.catch(() => readers.delete(core));
  return reader.lines;
};

/** See `vm.waitForSerialLine`. */
export const waitForSerialLine = async (
  core: VmCore,
  match: SerialLineMatch,
  options: SerialWaitOptions | undefined,
): Promise<string> => {
  if (typeof match !== 'string' && !(match instanceof RegExp)) {
    failInput('ERR_INVALID_INPUT', 'match', 'expected a string or a RegExp', match);
  }
  const wait = checkWaitOptions(options, DEFAULT_SERIAL_WAIT_MS);
  const lines = await readerOf(core);
  return lines.wait(match, { caller: CALLER, ...wait });
};

/** Throws unless Firecracker's stdout is free: the serial waiter may be reading it. */
export const assertStdoutFree = (core: VmCore): void => {
  if (readers.get(core)?.fromStdout === true) {
    throw new VmError(
      'ERR_WRONG_STATE',
      "vm.takeStdout(): Firecracker's stdout is read by vm.waitForSerialLine(), which was called first",
    );
  }
};

/** Stops reading the serial output, failing waits in progress; before cleanup removes the file. */
export const closeSerialLines = async (core: VmCore): Promise<void> => {
  const reader = readers.get(core);
  if (reader === undefined) {
    return;
  }
  readers.delete(core);
  const lines = await reader.lines.catch(() => null);
  await lines?.close();
};
