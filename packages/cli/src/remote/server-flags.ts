// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import { KindlingClient } from '@kindling/client';
import type { Command } from 'commander';
import { CliError, invalidInput } from '../errors.js';

/** The options that send a VM command to a Kindling server instead of this host's VMs. */
export interface ServerFlags {
  readonly server?: string;
  readonly tokenFile?: string;
  readonly caFile?: string;
}

/** How long a command may wait for the server, each call. */
export const SERVER_CALL_TIMEOUT_MS = 60_000;

/** Adds `--server`, `--token-file` and `--ca-file` to a command. */
export const addServerOptions = (command: Command): Command =>
  command
    .option(
      '--server <socket|url>',
      "act on a Kindling server's VMs (kindling serve): its Unix socket, or http(s)://host:port",
    )
    .option('--token-file <file>', "with --server over TCP: a file holding the server's token")
    .option(
      '--ca-file <file>',
      "with --server over https: the server's certificate (PEM) to trust",
    );

const readFlagFile = async (flag: string, file: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(
      'ERR_INVALID_INPUT',
      `${flag}: cannot read ${JSON.stringify(file)} (${(error as Error).message}): give a readable file`,
      { cause: error },
    );
  }
};

/** A client of the server `--server` names, with its token and certificate; dispose of it when done. */
export const connectServer = async (
  flags: ServerFlags & { readonly server: string },
): Promise<KindlingClient> => {
  const token =
    flags.tokenFile === undefined
      ? undefined
      : (await readFlagFile('--token-file', flags.tokenFile)).trim();
  if (token === '') {
    throw invalidInput(
      '--token-file',
      'expected a file holding the token, not an empty one',
      flags.tokenFile,
    );
  }
  const ca = flags.caFile === undefined ? undefined : await readFlagFile('--ca-file', flags.caFile);
  return new KindlingClient({
    server: flags.server,
    timeoutMs: SERVER_CALL_TIMEOUT_MS,
    ...(token === undefined ? {} : { token }),
    ...(ca === undefined ? {} : { ca }),
  });
};

/** `ERR_INVALID_INPUT` for a flag a server does not take (its own configuration decides). */
export const notWithServer = (flag: string, why: string): CliError =>
  new CliError('ERR_INVALID_INPUT', `${flag}: not available with --server (${why})`);
