// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable, Writable } from 'node:stream';
import {
  FakeEnvSwitchError,
  readFakeEnvSwitches,
  type FakeEnvConfig,
} from '../faults/env-switches.js';
import {
  describeSnapshot,
  logRunning,
  printHelp,
  printSnapshotVersion,
  printVersion,
} from './cli/informational-output.js';
import { parseFirecrackerArguments } from './cli/parse-arguments.js';
import { FirecrackerLogger, parseLevelFilter } from './firecracker-logger.js';
import { ProcessEnd } from './process-end.js';
import {
  EXIT_CODES,
  failLoggerInit,
  failMain,
  panicWith,
  type StartupIo,
} from './startup-failures.js';
import { readStartupInputs } from './startup-inputs.js';
import {
  createPathResolver,
  createSocketPathResolver,
  enterChrootDir,
  validateInstanceId,
} from './startup-values.js';
import { runVmmProcess } from './vmm-process.js';

/** Options of `runFirecracker`: the fake Firecracker's process, run inside the current one. */
export interface RunFirecrackerOptions {
  /** The arguments after the program name, as `process.argv.slice(2)`. */
  readonly argv: readonly string[];
  /**
   * A folder every path the fake touches resolves against (API socket, `--log-path`, drives,
   * snapshots, …), standing in for the jailer's chroot(2). The process's working directory
   * moves into it, as chroot(2) leaves Firecracker's, so that Unix sockets bind by a short name.
   */
  readonly chrootDir?: string;
  /** The environment the `KINDLING_FAKE_*` switches are read from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** The process's stdout: serial console and, without `log_path`, the log (default `process.stdout`). */
  readonly stdout?: Writable;
  /** The process's stderr (default `process.stderr`). */
  readonly stderr?: Writable;
  /** The serial console's input: lines are guest shell commands (default: none). */
  readonly stdin?: Readable;
  /** Aborting kills the fake as SIGKILL would (resolves 137, leaving its files behind). */
  readonly signal?: AbortSignal;
}

type Resolve = (path: string) => string;

// `main_exec` from the argument parser to the point where the VMM starts.
const runMain = (
  io: StartupIo,
  env: FakeEnvConfig,
  options: RunFirecrackerOptions,
  resolvePath: Resolve,
  resolveSocketPath: Resolve,
): number | Promise<number> => {
  const parsed = parseFirecrackerArguments(options.argv);
  switch (parsed.kind) {
    case 'error':
      return failMain(
        io,
        `Arguments parsing error: ${parsed.error.display} \\n\\nFor more information try --help.`,
        `ParseArguments(${parsed.error.debug})`,
        EXIT_CODES.argParsing,
      );
    case 'help':
      return printHelp(io);
    case 'version':
      return printVersion(io);
    case 'arguments':
      break;
  }
  const { values, switches } = parsed;
  if (switches.has('snapshot-version')) {
    return printSnapshotVersion(io);
  }
  const snapshotPath = values.get('describe-snapshot');
  if (snapshotPath !== undefined) {
    return describeSnapshot(io, resolvePath(snapshotPath));
  }
  const id = values.get('id') ?? 'anonymous-instance';
  const idError = validateInstanceId(id);
  if (idError !== undefined) {
    return panicWith(io, undefined, `Invalid instance ID: ${idError}`, '309:48');
  }
  const levelText = values.get('level');
  const level = levelText === undefined ? undefined : parseLevelFilter(levelText);
  if (levelText !== undefined && level === undefined) {
    return failMain(
      io,
      `Invalid value for logger level: Failed to parse string to level filter: ${levelText}.Possible values: [Error, Warning, Info, Debug]`,
      `InvalidLogLevel(LevelFilterFromStrError(${JSON.stringify(levelText)}))`,
      EXIT_CODES.badConfiguration,
    );
  }
  io.logger.instanceId = id;
  const logPath = values.get('log-path');
  try {
    io.logger.update(
      {
        logPath: logPath === undefined ? undefined : resolvePath(logPath),
        level,
        showLevel: switches.has('show-level') ? true : undefined,
        showLogOrigin: switches.has('show-log-origin') ? true : undefined,
        module: values.get('module'),
      },
      false,
    );
  } catch (error) {
    return failLoggerInit(io, error);
  }
  logRunning(io);
  const startup = env.exitRules.find((rule) => rule.point === 'startup');
  if (startup !== undefined) {
    io.end.perform(startup.outcome);
    return io.end.exited;
  }
  const inputs = readStartupInputs(io, env, values, resolvePath, !switches.has('no-api'));
  if (typeof inputs === 'number' || inputs instanceof Promise) {
    return inputs;
  }
  return runVmmProcess(io, {
    env,
    values,
    switches,
    inputs,
    resolvePath,
    resolveSocketPath,
    stdin: options.stdin,
  });
};

/**
 * Runs the fake Firecracker v1.16.1 to completion and resolves with the exit code the process
 * should exit with.
 */
export const runFirecracker = async (options: RunFirecrackerOptions): Promise<number> => {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let env: FakeEnvConfig;
  try {
    env = readFakeEnvSwitches(options.env ?? process.env);
  } catch (error) {
    if (!(error instanceof FakeEnvSwitchError)) {
      throw error;
    }
    stderr.write(`${error.message}\n`);
    return EXIT_CODES.unexpected;
  }
  const chrootDir = options.chrootDir ?? env.chrootDir;
  if (chrootDir !== undefined) {
    enterChrootDir(chrootDir);
  }
  const resolvePath: Resolve = createPathResolver(chrootDir);
  const resolveSocketPath: Resolve = createSocketPathResolver(chrootDir);
  const end = new ProcessEnd();
  const onAbort = (): void => end.exit(EXIT_CODES.killed);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const logger = new FirecrackerLogger(stdout);
  try {
    return await runMain(
      { stdout, stderr, logger, end },
      env,
      options,
      resolvePath,
      resolveSocketPath,
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    logger.close();
  }
};
