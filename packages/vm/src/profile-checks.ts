// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { realpath } from 'node:fs/promises';
import type { RateLimiter } from '@kindling/vmm-core';
import { listConfigurationFiles } from './configuration-files.js';
import type { ResolvedVmConfiguration } from './configuration.js';
import { VmError } from './errors.js';
import { describeValue } from './input-checks.js';
import type { ResolvedVmPrepareOptions } from './prepare-options.js';
import { RATE_LIMITER_RULE, isAtLeastAsStrict } from './rate-limiter-rule.js';
import type { ResolvedVmProfile } from './vm-profile.js';

/** The rate limiters of a profile. */
export type ProfileRateLimiters = NonNullable<ResolvedVmProfile['rateLimiters']>;

/** Throws `ERR_PROFILE_VIOLATION`: the field, the value, the rule it breaks and the fix. */
export const violate = (field: string, value: unknown, rule: string, fix: string): never => {
  throw new VmError(
    'ERR_PROFILE_VIOLATION',
    `${field}: ${rule}, got ${describeValue(value)}: ${fix}`,
  );
};

// 'none' forbids interfaces; 'isolated' and 'egress' differ only in what ext-network sets up.
const checkNetwork = (profile: ResolvedVmProfile, configuration: ResolvedVmConfiguration): void => {
  if (profile.network !== 'none') {
    return;
  }
  const interfaces =
    configuration.kind === 'restored-from-snapshot'
      ? (configuration.networkOverrides ?? []).map((item) => item.iface_id)
      : (configuration.networkInterfaces ?? []).map((item) => item.iface_id);
  if (interfaces.length > 0) {
    violate(
      configuration.kind === 'restored-from-snapshot'
        ? 'configuration.networkOverrides'
        : 'configuration.networkInterfaces',
      interfaces,
      "profile.network is 'none', which allows no network interface",
      "remove the interfaces, or give the VM a profile with network 'isolated' or 'egress'",
    );
  }
};

// A device without a limiter gets the profile's; one with its own must be at least as strict.
export const limitDevice = (
  field: string,
  own: RateLimiter | null | undefined,
  required: RateLimiter | undefined,
): RateLimiter | null | undefined => {
  if (required === undefined) {
    return own;
  }
  if (own === undefined || own === null) {
    return required;
  }
  if (!isAtLeastAsStrict(own, required)) {
    violate(
      field,
      own,
      `looser than the profile's rate limiter ${describeValue(required)} (${RATE_LIMITER_RULE})`,
      'give the device a stricter limiter, or none to get the profile one',
    );
  }
  return own;
};

const applyRateLimiters = (
  limiters: ProfileRateLimiters,
  configuration: ResolvedVmConfiguration,
): ResolvedVmConfiguration => {
  if (configuration.kind === 'restored-from-snapshot') {
    return configuration;
  }
  const { drive, network } = limiters;
  const drives = configuration.drives?.map((item, index) => {
    if (drive === undefined) {
      return item;
    }
    const isVhostUser = item.socket !== undefined && item.socket !== null;
    return isVhostUser
      ? violate(
          `configuration.drives[${index}].socket`,
          item.socket,
          "a vhost-user-block drive cannot take profile.rateLimiters.drive: its I/O bypasses Firecracker's limiter",
          'use a virtio-block drive (path_on_host), or a profile without rateLimiters.drive',
        )
      : {
          ...item,
          rate_limiter: limitDevice(
            `configuration.drives[${index}].rate_limiter`,
            item.rate_limiter,
            drive,
          ),
        };
  });
  const networkInterfaces = configuration.networkInterfaces?.map((item, index) => ({
    ...item,
    rx_rate_limiter: limitDevice(
      `configuration.networkInterfaces[${index}].rx_rate_limiter`,
      item.rx_rate_limiter,
      network?.rx,
    ),
    tx_rate_limiter: limitDevice(
      `configuration.networkInterfaces[${index}].tx_rate_limiter`,
      item.tx_rate_limiter,
      network?.tx,
    ),
  }));
  return {
    ...configuration,
    ...(drives === undefined ? {} : { drives }),
    ...(networkInterfaces === undefined ? {} : { networkInterfaces }),
  };
};

// A snapshot keeps its devices' limiters and Firecracker cannot replace them at load: a restore
// is allowed only when the snapshotted VM was prepared under limiters at least as strict.
const checkRestoredRateLimiters = (
  limiters: ProfileRateLimiters,
  source: ProfileRateLimiters | undefined,
): void => {
  const pairs: [string, RateLimiter | undefined, RateLimiter | undefined][] = [
    ['drive', limiters.drive, source?.drive],
    ['network.rx', limiters.network?.rx, source?.network?.rx],
    ['network.tx', limiters.network?.tx, source?.network?.tx],
  ];
  for (const [name, wanted, had] of pairs) {
    if (wanted !== undefined && !isAtLeastAsStrict(had, wanted)) {
      violate(
        `profile.rateLimiters.${name}`,
        wanted,
        `a restored VM keeps the rate limiters of the snapshotted VM, whose profile had ${had === undefined ? 'none' : `a looser one, ${describeValue(had)}`} (${RATE_LIMITER_RULE})`,
        'prepare the snapshotted VM with a profile carrying this limiter, or restore without it',
      );
    }
  }
};

/** The real path of an allowed folder (`ERR_INVALID_INPUT` when it cannot be resolved). */
export const resolveFolder = async (folder: string, index: number): Promise<string> => {
  try {
    return await realpath(folder);
  } catch (error) {
    throw new VmError(
      'ERR_INVALID_INPUT',
      `options.profile.allowedFolders[${index}]: cannot be resolved (${(error as NodeJS.ErrnoException).code ?? String(error)}), got ${describeValue(folder)}: give an existing folder`,
      { cause: error },
    );
  }
};

/** Whether a real path lies in a real folder (or is it). */
export const isInside = (file: string, folder: string): boolean =>
  file === folder || file.startsWith(folder.endsWith('/') ? folder : `${folder}/`);

// Symlinks are followed on both sides, so a link inside an allowed folder to a file outside it
// is refused, and an allowed folder given through a link still matches.
const checkAllowedFolders = async (
  folders: readonly string[],
  options: ResolvedVmPrepareOptions,
): Promise<void> => {
  const allowed = await Promise.all(folders.map(resolveFolder));
  for (const file of listConfigurationFiles(options.configuration, options.moveMethod)) {
    if (file.type.kind !== 'moved') {
      continue;
    }
    const real = await realpath(file.path);
    if (!allowed.some((folder) => isInside(real, folder))) {
      violate(
        `configuration.${file.field}`,
        file.path,
        `resolves to ${describeValue(real)}, outside every folder of profile.allowedFolders (${allowed.join(', ') || 'none'})`,
        'move the file into an allowed folder, or allow its folder in the profile',
      );
    }
  }
};

type Executor = ResolvedVmPrepareOptions['executor'];

const applyLimits = (profile: ResolvedVmProfile, executor: Executor): Executor => {
  if (profile.limits === undefined) {
    return executor;
  }
  if (typeof executor.withResourceLimits !== 'function') {
    return violate(
      'options.profile.limits',
      profile.limits,
      'resource limits need an executor that applies them (withResourceLimits): the jailer makes the cgroup',
      'run the VM with a JailedExecutor, or drop profile.limits',
    );
  }
  return executor.withResourceLimits(profile.limits);
};

/**
 * Checks the options against their profile and applies it, before anything is created or
 * spawned: refuses network interfaces under `network: 'none'`, files outside `allowedFolders` and
 * device rate limiters looser than the profile's (`ERR_PROFILE_VIOLATION`); gives the profile's
 * rate limiters to devices without one, and the limits to the executor. Returns the options to
 * prepare with.
 */
export const applyVmProfile = async (
  options: ResolvedVmPrepareOptions,
  snapshotRateLimiters?: ProfileRateLimiters,
): Promise<ResolvedVmPrepareOptions> => {
  const { profile } = options;
  if (profile === undefined) {
    return options;
  }
  checkNetwork(profile, options.configuration);
  let { configuration } = options;
  if (profile.rateLimiters !== undefined) {
    if (configuration.kind === 'restored-from-snapshot') {
      checkRestoredRateLimiters(profile.rateLimiters, snapshotRateLimiters);
    }
    configuration = applyRateLimiters(profile.rateLimiters, configuration);
  }
  if (profile.allowedFolders !== undefined) {
    await checkAllowedFolders(profile.allowedFolders, options);
  }
  return { ...options, configuration, executor: applyLimits(profile, options.executor) };
};
