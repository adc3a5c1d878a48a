// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { watch } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { buildConfigFileDocument } from './config-file-document.js';
import type { ResolvedVmConfiguration } from './configuration.js';
import { VmError, errorMessageOf } from './errors.js';
import type { VmCore } from './vm-core.js';

type ConfigFileConfiguration = Extract<ResolvedVmConfiguration, { kind: 'new-via-config-file' }>;

/** Fills the config file, where Firecracker reads it, with the VM's configuration. */
export const writeConfigFile = async (
  core: VmCore,
  seen: ConfigFileConfiguration,
): Promise<void> => {
  const file = core.files.get('configFilePath');
  if (file === undefined) {
    throw new TypeError('no resource for the config file');
  }
  try {
    // The file exists already (a created resource, owned by the VMM's user): this only fills it.
    await writeFile(
      file.effectivePath,
      `${JSON.stringify(buildConfigFileDocument(seen), undefined, 2)}\n`,
    );
  } catch (error) {
    throw new VmError(
      'ERR_START_FAILED',
      `vm.start(): could not write the config file ${file.effectivePath}: ${errorMessageOf(error)}`,
      { cause: error },
    );
  }
};

/** What Firecracker logs (at Info) once it has built and started a VM from its config file. */
export const CONFIG_FILE_BUILT =
  'Successfully started microvm that was configured from one single json';

// Long enough for any build; past it the start goes on, as it would without the wait.
const BUILD_WAIT_MS = 10_000;
// How often the log file is read again when no change event comes (a watch can miss one).
const FILE_RECHECK_MS = 250;

const isRegularFile = async (file: string): Promise<boolean> => {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
};

const logsInfo = (level: string | undefined): boolean =>
  level === undefined || ['info', 'debug', 'trace'].includes(level.toLowerCase());

// Resolves when the file holds `text` or `signal` aborts; a read that fails counts as not yet.
const waitForTextInFile = async (
  file: string,
  text: string,
  signal: AbortSignal,
): Promise<void> => {
  const holds = async (): Promise<boolean> =>
    (await readFile(file, 'utf8').catch(() => '')).includes(text);
  if (await holds()) {
    return;
  }
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const watcher = watch(file, { persistent: false, signal }, () => void check());
    // A watch that fails leaves the timer to look again.
    watcher.on('error', () => watcher.close());
    const finish = (): void => {
      clearTimeout(timer);
      watcher.close();
      resolve();
    };
    const check = async (): Promise<void> => {
      if (signal.aborted || (await holds())) {
        finish();
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => void check(), FILE_RECHECK_MS);
    };
    signal.addEventListener('abort', finish, { once: true });
    void check();
  });
};

/**
 * Waits, before the first API request of a config-file start, until Firecracker has built the VM
 * from the file (it logs `CONFIG_FILE_BUILT`) or has ended trying. A request sent while the build
 * fails makes Firecracker's API thread panic, and the process aborts before it can write why.
 * Where that line cannot be seen (a FIFO log, a level above Info, a detached process logging to
 * its stdout), or after a bound, the start goes on without waiting.
 */
export const waitForConfigFileBuild = async (
  core: VmCore,
  seen: Extract<ResolvedVmConfiguration, { kind: 'new-via-config-file' }>,
  signal: AbortSignal | undefined,
): Promise<void> => {
  if (!logsInfo(seen.logger?.level)) {
    return;
  }
  const bound = AbortSignal.any([
    AbortSignal.timeout(BUILD_WAIT_MS),
    ...(signal === undefined ? [] : [signal]),
  ]);
  const done = new AbortController();
  const waiting = AbortSignal.any([bound, done.signal]);
  // The output's wait says whether the line came (false: the output ended without it).
  let line: Promise<unknown>;
  const logFile = core.files.get('logger.log_path')?.effectivePath;
  if (seen.logger?.log_path === undefined) {
    line = core.process.waitForOutput(CONFIG_FILE_BUILT, {
      signal: waiting,
      timeoutMs: BUILD_WAIT_MS,
    });
  } else if (logFile !== undefined && (await isRegularFile(logFile))) {
    line = waitForTextInFile(logFile, CONFIG_FILE_BUILT, waiting).then(() => true);
  } else {
    return;
  }
  // The line's wait rejects only when aborted: by the bound (the start goes on), by the end of
  // the process (the start fails next), or by the caller (rethrown below).
  const ended = Promise.allSettled([core.process.exited]);
  const [outcome] = await Promise.race([Promise.allSettled([line]), ended]);
  if (outcome?.status === 'fulfilled' && outcome.value === false && !bound.aborted) {
    // Its output ended without the line: the process is going; see its end, within the bound.
    await Promise.race([ended, once(bound, 'abort', { signal: done.signal }).catch(() => [])]);
  }
  done.abort();
  // The losing wait settles once aborted: nothing is left listening.
  await Promise.allSettled([line]);
  signal?.throwIfAborted();
};
