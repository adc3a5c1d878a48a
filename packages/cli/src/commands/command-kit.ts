// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';

/** What a command's action gets: its output (for its --json), options and the context. */
export interface ActionInput<Options> {
  readonly out: Output;
  readonly options: Options;
  readonly context: CliContext;
}

/** Where the exit code of the command that ran is kept for `runCli`. */
export interface ExitBox {
  code: ExitCode;
}

/**
 * Wraps a command's action: its result (or `ok`) becomes the exit code; errors go up to
 * `runCli`, which prints them and picks their exit code.
 */
export const defineAction =
  <Options, Args extends unknown[]>(
    context: CliContext,
    box: ExitBox,
    run: (input: ActionInput<Options>, ...args: Args) => Promise<ExitCode | void>,
  ) =>
  async (...params: unknown[]): Promise<void> => {
    const command = params.at(-1) as Command;
    const options = command.optsWithGlobals<Options & { json?: boolean }>();
    const out = context.output(options.json);
    const args = params.slice(0, -2) as Args;
    box.code = (await run({ out, options, context }, ...args)) ?? EXIT_CODES.ok;
  };
