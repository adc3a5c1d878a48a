// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInputParser, kindlingTempFolder } from '@kindling/helpers';
import { z } from 'zod';
import { ServerError } from './errors.js';

const absolutePath = (what: string): z.ZodString =>
  z.string().refine((value) => path.isAbsolute(value), { error: `expected an absolute ${what}` });

/** The server's settings: a config file's JSON, the command's flags layered on top. */
export const serverConfigSchema = z.strictObject({
  /** Where the server records its VMs and their files (default `<tmpdir>/kindling-<uid>/server`). */
  stateDir: absolutePath('folder path').optional(),
  /** The folder kernels, drives, config files and snapshots to restore are read from. */
  imagesDir: absolutePath('folder path'),
  /** The Firecracker binaries. */
  installation: z.strictObject({
    firecrackerPath: absolutePath('file path'),
    jailerPath: absolutePath('file path'),
    snapshotEditorPath: absolutePath('file path'),
  }),
  /** Where the server listens: a Unix socket by default; TCP only with a token (or said insecure). */
  listen: z
    .strictObject({
      /** The Unix socket (default `<stateDir>/server.sock`), mode 0600 unless `socketGroup` is set. */
      socketPath: absolutePath('socket path').optional(),
      /** A group (gid) that may use the socket too: the socket gets mode 0660 and that group. */
      socketGroup: z.int().nonnegative().optional(),
      /** `host:port` to listen on TCP instead of the socket. */
      tcp: z
        .string()
        .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/u, {
          error: 'expected host:port, such as 127.0.0.1:7090',
        })
        .optional(),
      /** A file holding the bearer token TCP callers must send (`Authorization: Bearer …`). */
      tokenFile: absolutePath('file path').optional(),
      /** Listen on TCP without a token: anyone who reaches the port controls the host's VMs. */
      insecureNoAuth: z.boolean().optional(),
      /** TLS for TCP: a PEM certificate (chain) and its key. */
      tlsCertFile: absolutePath('file path').optional(),
      tlsKeyFile: absolutePath('file path').optional(),
    })
    .default({}),
  /** Jailer defaults for `executor: { kind: 'jailed' }`. */
  jailer: z
    .strictObject({
      /** The jails' parent folder (`--chroot-base-dir`, default `<stateDir>/jail`). */
      chrootBaseDir: absolutePath('folder path').optional(),
      /** The cgroup version (default 2). */
      cgroupVersion: z.union([z.literal(1), z.literal(2)]).optional(),
      /** A parent cgroup for every VM (`--parent-cgroup`). */
      parentCgroup: z.string().optional(),
    })
    .default({}),
  /** What the server allows: VMs at once, body size, waits. */
  limits: z
    .strictObject({
      /** The most VMs the server holds at once (default 256). */
      maxVms: z.int().positive().default(256),
      /** The largest request body, in bytes (default 1 MiB). */
      bodyLimitBytes: z.int().positive().default(1_048_576),
      /** The largest tar archive `PUT /v1/vms/:id/files` takes, in bytes (default 1 GiB); streamed, never held whole. */
      archiveLimitBytes: z.int().positive().default(1_073_741_824),
      /** How long `start()` waits for a VM's API socket (default 5 000 ms). */
      socketWaitTimeoutMs: z.int().positive().optional(),
    })
    .default({ maxVms: 256, bodyLimitBytes: 1_048_576, archiveLimitBytes: 1_073_741_824 }),
  /** On SIGTERM or SIGINT, shut every VM down (default false: leave them to the next server). */
  shutdownVmsOnExit: z.boolean().default(false),
});

/**
 * What the server takes: a config file's contents, or the same as an object.
 * @interface
 */
export type ServerConfigInput = z.input<typeof serverConfigSchema>;

/** `ServerConfigInput` after checks and defaults, every folder resolved. */
export interface ResolvedServerConfig extends Omit<
  z.output<typeof serverConfigSchema>,
  'stateDir'
> {
  readonly stateDir: string;
  readonly socketPath: string;
}

const parse = createInputParser(
  (message, options) => new ServerError('ERR_INVALID_INPUT', message, options),
);

/** Checks a configuration, naming each bad key and its fix, and fills in the defaults. */
export const parseServerConfig = (input: unknown, subject = 'config'): ResolvedServerConfig => {
  const config = parse(serverConfigSchema, input, subject);
  const listen = config.listen;
  if (listen.tcp === undefined) {
    for (const key of ['tokenFile', 'insecureNoAuth', 'tlsCertFile', 'tlsKeyFile'] as const) {
      if (listen[key] !== undefined) {
        throw new ServerError(
          'ERR_INVALID_INPUT',
          `${subject}.listen.${key}: applies to TCP only; set ${subject}.listen.tcp too, or remove it`,
          { field: `${subject}.listen.${key}` },
        );
      }
    }
  } else if (listen.tokenFile === undefined && listen.insecureNoAuth !== true) {
    throw new ServerError(
      'ERR_INVALID_INPUT',
      `${subject}.listen.tokenFile: TCP needs a bearer token file (or insecureNoAuth: true, which lets anyone who reaches ${listen.tcp} control this host's VMs)`,
      { field: `${subject}.listen.tokenFile` },
    );
  }
  if ((listen.tlsCertFile === undefined) !== (listen.tlsKeyFile === undefined)) {
    throw new ServerError(
      'ERR_INVALID_INPUT',
      `${subject}.listen: TLS needs both tlsCertFile and tlsKeyFile`,
      {
        field: `${subject}.listen.${listen.tlsCertFile === undefined ? 'tlsCertFile' : 'tlsKeyFile'}`,
      },
    );
  }
  const stateDir = config.stateDir ?? path.join(kindlingTempFolder(), 'server');
  return {
    ...config,
    stateDir,
    socketPath: listen.socketPath ?? path.join(stateDir, 'server.sock'),
  };
};

/** Reads a JSON config file and checks it; an error names the file, the key and the fix. */
export const loadServerConfig = async (file: string): Promise<ResolvedServerConfig> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ServerError(
      'ERR_INVALID_INPUT',
      `Could not read the config file ${file}: ${(error as Error).message}`,
      { cause: error, field: 'configFile' },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ServerError(
      'ERR_INVALID_INPUT',
      `The config file ${file} is not JSON: ${(error as Error).message}`,
      { cause: error, field: 'configFile' },
    );
  }
  return parseServerConfig(json, file);
};
