// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { invalidInput } from '../errors.js';
import { followRemoteEvents } from '../remote/remote-events.js';
import { addServerOptions, type ServerFlags } from '../remote/remote.js';
import { defineAction, type ExitBox } from './command-kit.js';

/** `kindling events [name] --server …`: a server's VM changes as they happen. */
export const registerEvents = (program: Command, context: CliContext, box: ExitBox): void => {
  addServerOptions(
    program
      .command('events [name]')
      .description(
        "follow a server's VM changes (created, running, paused, exited, deleted) until Ctrl-C",
      )
      .option('--json', 'print each event as one JSON document per line'),
  ).action(
    defineAction<ServerFlags, [string | undefined]>(
      context,
      box,
      async ({ out, options }, name) => {
        if (options.server === undefined) {
          throw invalidInput('--server', 'events come from a server: give its socket or URL');
        }
        const controller = new AbortController();
        // Ctrl-C (or a TERM) ends the following and the command, which exits 0.
        const stop = () => controller.abort(new Error('interrupted'));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          await followRemoteEvents(
            out,
            { ...options, server: options.server },
            name,
            controller.signal,
          );
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      },
    ),
  );
};
