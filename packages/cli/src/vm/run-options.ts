// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import type { VmConfigurationItems } from '@kindling/vm';
import { invalidInput } from '../errors.js';
import { readConfigFile } from './config-file.js';
import type { LaunchBoot, LaunchNetwork, LaunchSpec } from './launch-spec.js';
import { resolveBinaries } from './resolve-binaries.js';

/** The options of `run` (and of `snapshot restore`, which shares the last group). */
export interface RunFlags {
  readonly config?: string;
  readonly kernel?: string;
  readonly initrd?: string;
  readonly rootDrive?: string;
  readonly bootArgs: string;
  readonly vcpus: string;
  readonly memory: string;
  readonly vsockCid?: string;
  readonly name?: string;
  readonly jailed?: boolean;
  readonly uid: string;
  readonly gid: string;
  readonly detach?: boolean;
  readonly socketWaitTimeout: string;
  readonly network?: boolean;
  readonly netns?: boolean;
  readonly egress?: boolean;
  readonly pool?: string;
}

/** Parses a whole number option, or `ERR_INVALID_INPUT` naming it. */
export const parseInteger = (flag: string, value: string, min: number, max: number): number => {
  const number = Number(value);
  if (!/^\d+$/u.test(value) || number < min || number > max) {
    throw invalidInput(flag, `expected a whole number from ${min} to ${max}`, value);
  }
  return number;
};

/**
 * The configuration items of `run`'s flags; `resolvePath` makes each file's path (absolute from
 * the working directory by default; as given for a server, which resolves them under its folders).
 */
export const itemsFromFlags = (
  flags: RunFlags,
  resolvePath: (file: string) => string = (file) => path.resolve(file),
): VmConfigurationItems => {
  if (flags.kernel === undefined) {
    throw invalidInput(
      '--kernel',
      'give a guest kernel (or --config with a Firecracker config file)',
    );
  }
  return {
    bootSource: {
      kernel_image_path: resolvePath(flags.kernel),
      boot_args: flags.bootArgs,
      ...(flags.initrd === undefined ? {} : { initrd_path: resolvePath(flags.initrd) }),
    },
    machineConfig: {
      vcpu_count: parseInteger('--vcpus', flags.vcpus, 1, 32),
      mem_size_mib: parseInteger('--memory', flags.memory, 1, 1_048_576),
    },
    ...(flags.rootDrive === undefined
      ? {}
      : {
          drives: [
            {
              drive_id: 'rootfs',
              is_root_device: true,
              is_read_only: false,
              path_on_host: resolvePath(flags.rootDrive),
            },
          ],
        }),
  };
};

/** A generated name when none is given: short, unique enough on one host. */
export const generateName = (): string => `vm-${Math.random().toString(16).slice(2, 8)}`;

/** The shared tail of a spec: name, jail, binaries, detach, bounds. */
export const resolveCommon = (
  flags: RunFlags,
  env: NodeJS.ProcessEnv,
): Omit<LaunchSpec, 'boot' | 'source'> => ({
  name: flags.name ?? generateName(),
  ...(flags.jailed === true
    ? {
        jail: {
          uid: parseInteger('--uid', flags.uid, 0, 4_294_967_294),
          gid: parseInteger('--gid', flags.gid, 0, 4_294_967_294),
        },
      }
    : {}),
  binaries: resolveBinaries(env, flags.jailed === true),
  detached: flags.detach === true,
  socketWaitTimeoutMs: parseInteger('--socket-wait-timeout', flags.socketWaitTimeout, 1, 600_000),
});

/**
 * The network the flags ask for: `--network`, or any of `--netns`, `--egress` and `--pool`
 * (each implies it). ext-network checks the pool's CIDR when the network is made.
 */
export const resolveNetwork = (flags: RunFlags): LaunchNetwork | undefined =>
  flags.network === true ||
  flags.netns === true ||
  flags.egress === true ||
  flags.pool !== undefined
    ? {
        namespace: flags.netns === true,
        egress: flags.egress === true,
        ...(flags.pool === undefined ? {} : { pool: flags.pool }),
      }
    : undefined;

/** The spec of `run`: from a config file or from flags (not both). */
export const resolveRunSpec = async (
  flags: RunFlags,
  env: NodeJS.ProcessEnv,
): Promise<LaunchSpec> => {
  if (flags.config !== undefined && flags.kernel !== undefined) {
    throw invalidInput('--kernel', 'give either --config or --kernel, not both', flags.kernel);
  }
  const items =
    flags.config === undefined ? itemsFromFlags(flags) : await readConfigFile(flags.config);
  const vsockCid =
    flags.vsockCid === undefined
      ? undefined
      : parseInteger('--vsock-cid', flags.vsockCid, 3, 4_294_967_294);
  const boot: LaunchBoot = { kind: 'new', items, ...(vsockCid === undefined ? {} : { vsockCid }) };
  const network = resolveNetwork(flags);
  return {
    ...resolveCommon(flags, env),
    ...(network === undefined ? {} : { network }),
    boot,
    source:
      flags.config === undefined
        ? `kernel ${items.bootSource.kernel_image_path}`
        : `config ${path.resolve(flags.config)}`,
  };
};
