// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Command, CommanderError } from 'commander';
import { isKindlingError } from '@kindling/spawner';
import type { ExitBox } from './commands/command-kit.js';
import { registerHostCommands } from './commands/host-commands.js';
import { registerVmCommands } from './commands/vm-commands.js';
import { createContext } from './context.js';
import { EXIT_CODES, exitCodeOf, type ExitCode } from './exit-codes.js';
import type { CliIo } from './output.js';
import { supervise } from './vm/supervise.js';

/** What `runCli` takes besides the arguments. */
export interface RunCliOptions {
  /** Where to write and which environment to read (default: this process's). */
  readonly io?: CliIo;
  /** The script that runs `kindling`: `run --detach` starts it again in the background. */
  readonly entry: string;
}

const buildProgram = (options: RunCliOptions, box: ExitBox): Command => {
  const io = options.io ?? { stdout: process.stdout, stderr: process.stderr, env: process.env };
  const context = createContext(io, options.entry);
  const program = new Command('kindling')
    .description('Run and manage Firecracker microVMs (Kindling)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(text),
    })
    .showSuggestionAfterError();
  registerHostCommands(program, context, box);
  registerVmCommands(program, context, box);
  program.command('__supervise', { hidden: true }).action(async () => {
    box.code = (await supervise(context.paths)) as ExitCode;
  });
  return program;
};

/**
 * Runs `kindling` with the given arguments (without `node` and the script) and resolves with
 * the exit code; errors are printed on stderr with what to do, never thrown.
 */
export const runCli = async (argv: readonly string[], options: RunCliOptions): Promise<number> => {
  const box: ExitBox = { code: EXIT_CODES.ok };
  const io = options.io ?? { stdout: process.stdout, stderr: process.stderr, env: process.env };
  try {
    await buildProgram(options, box).parseAsync([...argv], { from: 'user' });
    return box.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end "with an error" too, with code 0.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    const code = isKindlingError(error) ? ` [${error.code}]` : '';
    io.stderr.write(`kindling: ${(error as Error).message}${code}\n`);
    return exitCodeOf(error);
  }
};
