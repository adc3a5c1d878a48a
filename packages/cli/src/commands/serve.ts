// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseServerConfig, serveUntilSignal, type ServerConfigInput } from '@kindling/server';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { findBinary } from '../host/binaries.js';
import { defineAction, type ExitBox } from './command-kit.js';

interface ServeFlags {
  readonly config?: string;
  readonly images?: string;
  readonly state?: string;
  readonly socket?: string;
  readonly socketGroup?: string;
  readonly listen?: string;
  readonly tokenFile?: string;
  readonly insecureNoAuth?: boolean;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly maxVms?: string;
  readonly shutdownVmsOnExit?: boolean;
}

type Settings = Record<string, unknown> & {
  listen?: Record<string, unknown>;
  limits?: Record<string, unknown>;
};

const readConfigFile = async (file: string): Promise<Settings> => {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Settings;
  } catch (error) {
    throw new CliError(
      'ERR_INVALID_INPUT',
      `--config ${file}: ${(error as Error).message}; give a JSON file (the server's README lists its keys)`,
      { cause: error },
    );
  }
};

const absolute = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : path.resolve(value);

const integer = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) {
    return undefined;
  }
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new CliError(
      'ERR_INVALID_INPUT',
      `${flag}: expected a whole number, got ${JSON.stringify(value)}`,
    );
  }
  return number;
};

// The entries that are set: a flag not given leaves the config file's value.
const defined = (entries: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));

// The config file's settings with the flags on top; the binaries from the host when unsaid.
const buildSettings = async (
  flags: ServeFlags,
  env: NodeJS.ProcessEnv,
): Promise<ServerConfigInput> => {
  const file = flags.config === undefined ? {} : await readConfigFile(flags.config);
  const listen = defined({
    ...file.listen,
    socketPath: absolute(flags.socket) ?? file.listen?.['socketPath'],
    socketGroup: integer('--socket-group', flags.socketGroup) ?? file.listen?.['socketGroup'],
    tcp: flags.listen ?? file.listen?.['tcp'],
    tokenFile: absolute(flags.tokenFile) ?? file.listen?.['tokenFile'],
    insecureNoAuth: flags.insecureNoAuth ?? file.listen?.['insecureNoAuth'],
    tlsCertFile: absolute(flags.tlsCert) ?? file.listen?.['tlsCertFile'],
    tlsKeyFile: absolute(flags.tlsKey) ?? file.listen?.['tlsKeyFile'],
  });
  const firecracker = findBinary('firecracker', env);
  const installation = file['installation'] ?? {
    firecrackerPath: firecracker?.path,
    jailerPath: findBinary('jailer', env)?.path ?? '/nonexistent/jailer',
    snapshotEditorPath: findBinary('snapshot-editor', env)?.path ?? '/nonexistent/snapshot-editor',
  };
  if (file['installation'] === undefined && firecracker === undefined) {
    throw new CliError(
      'ERR_HOST_NOT_READY',
      'No firecracker binary found: run `kindling install firecracker`, set KINDLING_FIRECRACKER, or name the binaries in the config file',
    );
  }
  return defined({
    ...file,
    stateDir:
      absolute(flags.state) ??
      file['stateDir'] ??
      absolute(
        env['KINDLING_STATE_DIR'] === undefined
          ? undefined
          : path.join(env['KINDLING_STATE_DIR'], 'server'),
      ),
    imagesDir: absolute(flags.images) ?? file['imagesDir'],
    installation,
    listen,
    limits: defined({
      ...file.limits,
      maxVms: integer('--max-vms', flags.maxVms) ?? file.limits?.['maxVms'],
    }),
    shutdownVmsOnExit: flags.shutdownVmsOnExit ?? file['shutdownVmsOnExit'],
  }) as ServerConfigInput;
};

/** `kindling serve`: this host's VMs behind one REST API until SIGTERM or SIGINT. */
export const registerServe = (program: Command, context: CliContext, box: ExitBox): void => {
  program
    .command('serve')
    .description("serve this host's VMs over a REST API (OpenAPI at GET /openapi.json)")
    .option('--config <file>', 'a JSON config file (its keys: the @kindling/server README)')
    .option('--images <dir>', 'the folder kernels, drives and snapshots are read from')
    .option('--state <dir>', "the server's state folder (default $KINDLING_STATE_DIR/server)")
    .option('--socket <path>', 'the Unix socket to listen on (default <state>/server.sock)')
    .option('--socket-group <gid>', 'a group that may use the socket too (mode 0660)')
    .option('--listen <host:port>', 'listen on TCP instead (needs --token-file)')
    .option('--token-file <file>', 'with --listen: the bearer token callers must send')
    .option(
      '--insecure-no-auth',
      'with --listen: no token (anyone reaching the port controls the VMs)',
    )
    .option('--tls-cert <file>', 'with --listen: a PEM certificate for HTTPS')
    .option('--tls-key <file>', "with --listen: the certificate's key")
    .option('--max-vms <n>', 'the most VMs the server holds (default 256)')
    .option(
      '--shutdown-vms-on-exit',
      'on SIGTERM or SIGINT, shut every VM down (default: leave them to the next server)',
    )
    .option('--json', 'print the address as JSON')
    .action(
      defineAction<ServeFlags, []>(context, box, async ({ out, options }) => {
        const settings = await buildSettings(options, context.io.env);
        // Checked here first, so that an error names the config file (or the flags).
        parseServerConfig(settings, options.config ?? 'serve');
        await serveUntilSignal(settings, {
          onListening: (server) =>
            out.data(
              {
                address: server.address,
                stateDir: server.config.stateDir,
                recovered: server.recovered,
              },
              () =>
                `kindling serve: listening on ${server.address} (state ${server.config.stateDir}; ${server.recovered.adopted.length} VMs re-adopted, ${server.recovered.cleanedUp.length} cleaned up)`,
            ),
          onStopping: (signal, shutdownVms) =>
            out.note(
              `kindling serve: ${signal}, stopping${shutdownVms ? ' and shutting the VMs down' : '; the VMs keep running for the next server'}`,
            ),
        });
      }),
    );
};
