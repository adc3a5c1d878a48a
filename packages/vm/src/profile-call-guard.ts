// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { RateLimiter } from '@kindling/vmm-core';
import { isInside, limitDevice, resolveFolder, violate } from './profile-checks.js';
import { isAtLeastAsStrict, RATE_LIMITER_RULE } from './rate-limiter-rule.js';
import { describeValue } from './input-checks.js';
import type { ApiCall } from './send-api-call.js';
import type { VmCore } from './vm-core.js';
import type { ResolvedVmProfile } from './vm-profile.js';

type Body = Readonly<Record<string, unknown>>;
type Limiter = RateLimiter | null | undefined;

const bodyOf = (call: ApiCall): Body =>
  typeof call.body === 'object' && call.body !== null ? (call.body as Body) : {};

const limiterOf = (body: Body, key: string): Limiter => body[key] as Limiter;

// In a PATCH a bucket left out keeps its value, which the profile already holds; a bucket given
// replaces it, so each one given must be as strict as the profile's.
const checkLimiterUpdate = (field: string, update: Limiter, required: RateLimiter | undefined) => {
  if (required === undefined || update === undefined || update === null) {
    return;
  }
  const given = (['bandwidth', 'ops'] as const).filter(
    (bucket) => update[bucket] !== undefined && update[bucket] !== null,
  );
  const asked: RateLimiter = Object.fromEntries(given.map((bucket) => [bucket, required[bucket]]));
  if (!isAtLeastAsStrict(update, asked)) {
    violate(
      field,
      update,
      `looser than the profile's rate limiter ${describeValue(required)} (${RATE_LIMITER_RULE})`,
      'send a stricter limiter, or leave the bucket out to keep the current one',
    );
  }
};

// A file that does not exist yet is judged by where it would be; Firecracker then refuses it.
const realPathOf = async (file: string): Promise<string> => {
  try {
    return await realpath(file);
  } catch {
    return path.resolve(file);
  }
};

const checkFiles = async (
  folders: readonly string[] | undefined,
  request: string,
  files: readonly [string, unknown][],
): Promise<void> => {
  if (folders === undefined) {
    return;
  }
  const allowed = await Promise.all(folders.map(resolveFolder));
  for (const [field, file] of files) {
    if (typeof file !== 'string') {
      continue;
    }
    const real = await realPathOf(file);
    if (!allowed.some((folder) => isInside(real, folder))) {
      violate(
        `${request}: ${field}`,
        file,
        `resolves to ${describeValue(real)}, outside every folder of profile.allowedFolders (${allowed.join(', ') || 'none'})`,
        'move the file into an allowed folder, or allow its folder in the profile',
      );
    }
  }
};

// The host files a request hands Firecracker, by field.
const filesOf = (resource: string, body: Body): [string, unknown][] => {
  switch (resource) {
    case 'drives':
    case 'pmem':
      return [['path_on_host', body['path_on_host']]];
    case 'boot-source':
      return [
        ['kernel_image_path', body['kernel_image_path']],
        ['initrd_path', body['initrd_path']],
      ];
    case 'snapshot/load': {
      const backend = body['mem_backend'] as Body | undefined;
      return [
        ['snapshot_path', body['snapshot_path']],
        ['mem_file_path', body['mem_file_path']],
        ['mem_backend.backend_path', backend?.['backend_path']],
      ];
    }
    default:
      return [];
  }
};

const guardNetwork = (profile: ResolvedVmProfile, call: ApiCall, request: string): ApiCall => {
  const body = bodyOf(call);
  const limiters = profile.rateLimiters?.network;
  if (call.method === 'PUT') {
    if (profile.network === 'none') {
      violate(
        request,
        body['iface_id'],
        "profile.network is 'none', which allows no network interface",
        "give the VM a profile with network 'isolated' or 'egress'",
      );
    }
    const rx = limitDevice(
      `${request}: rx_rate_limiter`,
      limiterOf(body, 'rx_rate_limiter'),
      limiters?.rx,
    );
    const tx = limitDevice(
      `${request}: tx_rate_limiter`,
      limiterOf(body, 'tx_rate_limiter'),
      limiters?.tx,
    );
    return {
      ...call,
      body: {
        ...body,
        ...(rx === undefined ? {} : { rx_rate_limiter: rx }),
        ...(tx === undefined ? {} : { tx_rate_limiter: tx }),
      },
    };
  }
  checkLimiterUpdate(
    `${request}: rx_rate_limiter`,
    limiterOf(body, 'rx_rate_limiter'),
    limiters?.rx,
  );
  checkLimiterUpdate(
    `${request}: tx_rate_limiter`,
    limiterOf(body, 'tx_rate_limiter'),
    limiters?.tx,
  );
  return call;
};

const guardDrive = (profile: ResolvedVmProfile, call: ApiCall, request: string): ApiCall => {
  const body = bodyOf(call);
  const required = profile.rateLimiters?.drive;
  if (call.method === 'PATCH') {
    checkLimiterUpdate(`${request}: rate_limiter`, limiterOf(body, 'rate_limiter'), required);
    return call;
  }
  if (required !== undefined && body['socket'] !== undefined && body['socket'] !== null) {
    violate(
      `${request}: socket`,
      body['socket'],
      "a vhost-user-block drive cannot take profile.rateLimiters.drive: its I/O bypasses Firecracker's limiter",
      'use a virtio-block drive (path_on_host), or a profile without rateLimiters.drive',
    );
  }
  const limiter = limitDevice(
    `${request}: rate_limiter`,
    limiterOf(body, 'rate_limiter'),
    required,
  );
  return limiter === undefined ? call : { ...call, body: { ...body, rate_limiter: limiter } };
};

const guardSnapshotLoad = (profile: ResolvedVmProfile, call: ApiCall, request: string): void => {
  const overrides = bodyOf(call)['network_overrides'];
  if (profile.network === 'none' && Array.isArray(overrides) && overrides.length > 0) {
    violate(
      `${request}: network_overrides`,
      overrides,
      "profile.network is 'none', which allows no network interface",
      "remove the overrides, or give the VM a profile with network 'isolated' or 'egress'",
    );
  }
  if (profile.rateLimiters !== undefined) {
    violate(
      request,
      call.path,
      'a snapshot loaded by hand keeps rate limiters the profile cannot check',
      'restore with Vm.restore, which checks the snapshot against profile.rateLimiters',
    );
  }
};

/**
 * Holds a profile for the VM's whole life, not only its configuration: a request sent through a
 * `Vm`'s methods or `vm.request()` that would add a network interface under `network: 'none'`,
 * loosen a device's rate limiter, or hand Firecracker a host file outside `allowedFolders` is
 * refused with `ERR_PROFILE_VIOLATION` before it is sent; a new drive or interface without a
 * limiter gets the profile's. In a jail, paths are the jail's own (Firecracker is chrooted into
 * it), so `allowedFolders` is not checked there: the jail already confines what it can open.
 */
export const guardProfileCall = async (
  profile: ResolvedVmProfile | undefined,
  call: ApiCall,
  jailed: boolean,
): Promise<ApiCall> => {
  if (profile === undefined || (call.method !== 'PUT' && call.method !== 'PATCH')) {
    return call;
  }
  const request = `${call.method} ${call.path}`;
  const segments = call.path.split('/').filter(Boolean);
  const resource = segments[0] === 'snapshot' ? segments.join('/') : (segments[0] ?? '');
  if (!jailed) {
    await checkFiles(profile.allowedFolders, request, filesOf(resource, bodyOf(call)));
  }
  switch (resource) {
    case 'network-interfaces':
      return guardNetwork(profile, call, request);
    case 'drives':
      return guardDrive(profile, call, request);
    case 'snapshot/load':
      guardSnapshotLoad(profile, call, request);
      return call;
    default:
      return call;
  }
};

/** `guardProfileCall` with a VM's own profile, and whether its executor jails it. */
export const guardVmCall = (core: Pick<VmCore, 'options'>, call: ApiCall): Promise<ApiCall> =>
  guardProfileCall(
    core.options.profile,
    call,
    typeof core.options.executor.getJailPath === 'function',
  );
