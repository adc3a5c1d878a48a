// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ProcessHandleExit } from '@kindling/executor';
import type { VmCore } from './vm-core.js';

// Enough for Firecracker's last error lines (a RunWithApiError, a panic and its location).
const LOG_TAIL_BYTES = 4_096;
const LOG_TAIL_LINES = 20;

/**
 * The last lines of Firecracker's log file, or '' when there is none to read. Only a regular file
 * is read: a FIFO belongs to the user's reader, and reading it here would steal its lines.
 */
export const readLogTail = async (logPath?: string): Promise<string> => {
  if (logPath === undefined) {
    return '';
  }
  let file;
  try {
    // O_NONBLOCK: opening a FIFO to read would otherwise wait for a writer.
    file = await open(logPath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    // No log yet (Firecracker failed before opening it): nothing of its own words there.
    return '';
  }
  try {
    const stats = await file.stat();
    if (!stats.isFile()) {
      return '';
    }
    const length = Math.min(stats.size, LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, stats.size - length);
    const lines = buffer.toString('utf8').split('\n');
    // The first line may be cut in the middle when the file is longer than what was read.
    if (stats.size > length) {
      lines.shift();
    }
    return lines
      .slice(-LOG_TAIL_LINES - 1)
      .join('\n')
      .trim();
  } finally {
    await file.close();
  }
};

/**
 * Firecracker's own words about a failed start, for an error message: its output (stderr, then
 * stdout) and its log, each under a heading; '' when it said nothing anywhere Kindling can read.
 */
export const formatFirecrackerWords = (outputTail: string, logTail: string): string => {
  const sections: string[] = [];
  if (outputTail.trim() !== '') {
    sections.push(outputTail.trimEnd());
  }
  if (logTail.trim() !== '') {
    sections.push(`[log]\n${logTail.trimEnd()}`);
  }
  return sections.length === 0 ? '' : `; what Firecracker wrote:\n${sections.join('\n')}`;
};

/**
 * Words for how an abandoned process really ended: by itself (its exit code or signal), or by the
 * SIGKILL this side sent. A SIGKILL is claimed only when it was sent and is what ended it.
 */
export const describeAbandonedEnd = (exit: ProcessHandleExit, killSent: boolean): string => {
  if (exit.kind === 'exited') {
    return `Firecracker exited by itself with code ${exit.code}`;
  }
  if (exit.kind === 'signaled') {
    return killSent && exit.signal === 'SIGKILL'
      ? 'the Firecracker process was killed (SIGKILL)'
      : `Firecracker ended by itself on ${exit.signal}`;
  }
  return killSent
    ? 'Firecracker was sent SIGKILL and has ended (the exit status of a detached process cannot be seen)'
    : 'Firecracker ended by itself (the exit status of a detached process cannot be seen)';
};

/**
 * Firecracker's own words about a failed start of this VM: the tail of its output (unless the
 * error quotes it already) and of its log file, under headings; '' when there is nothing to read.
 */
export const readFirecrackerWords = async (
  core: VmCore,
  options: { readonly output: boolean },
): Promise<string> => {
  let output = '';
  if (options.output && core.launched) {
    try {
      output = await core.process.readOutputTail();
    } catch {
      // Never spawned (the executor failed): no output to quote.
    }
  }
  const log = await readLogTail(core.files.get('logger.log_path')?.effectivePath);
  return formatFirecrackerWords(output, log);
};
