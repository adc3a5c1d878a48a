// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { LOG_SITES, type FirecrackerLogger } from '../firecracker-logger.js';
import { describeIoError } from '../../rust/io-error.js';
import { tapOpenError } from './tap-device.js';
import type { Body } from './vmm-action.js';
import { faultOutcome, NO_CONTENT, type VmmOutcome } from './vmm-outcome.js';
import {
  normalizeRateLimiter,
  patchRateLimiter,
  type DriveState,
  type NetState,
  type PmemState,
  type VmResources,
} from './vm-resources.js';

/** How the device handlers reach the host. */
export interface DeviceHost {
  readonly resolvePath: (path: string) => string;
  readonly enablePci: boolean;
  readonly logger: FirecrackerLogger;
}

const SECTOR_SIZE = 512;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const count = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : undefined;
const given = (value: unknown): boolean => value !== null && value !== undefined;

// Texts of the PCI hotplug path (device manager), reported as they are.
const PCI_DISABLED = 'PCI is not enabled';
const ID_IN_USE = 'Device ID in use';
const NOT_FOUND = 'Device not found';

const openBacking = (path: string, readOnly: boolean): string | undefined => {
  try {
    closeSync(openSync(path, readOnly ? 'r' : 'r+'));
    return undefined;
  } catch (error) {
    return describeIoError(error).display;
  }
};

/** `Block::new`: a virtio-block on a host file, or a vhost-user block on a backend socket. */
const createDrive = (body: Body, host: DeviceHost): DriveState | string => {
  const path = text(body.path_on_host);
  const socket = text(body.socket);
  const isVirtio = path !== undefined && socket === undefined;
  const isVhost =
    path === undefined &&
    socket !== undefined &&
    !given(body.is_read_only) &&
    !given(body.rate_limiter) &&
    !given(body.io_engine);
  const prefix = 'Drive config error: Unable to create the virtio block device';
  if (!isVirtio && !isVhost) {
    return `${prefix}: Invalid block config.`;
  }
  const readOnly = body.is_read_only === true;
  if (isVirtio) {
    const problem = openBacking(host.resolvePath(path), readOnly);
    if (problem !== undefined) {
      return `${prefix}: Virtio backend error: Error manipulating the backing file: ${problem} ${path}`;
    }
    const size = statSync(host.resolvePath(path)).size;
    if (size % SECTOR_SIZE !== 0) {
      host.logger.warn(
        LOG_SITES.blockDevice,
        `Disk size ${size} is not a multiple of sector size ${SECTOR_SIZE}; the remainder will not be visible to the guest.`,
      );
    }
  } else if (!existsSync(host.resolvePath(socket ?? ''))) {
    return `${prefix}: Vhost user backend error: Cannot connect to the vhost-user backend socket: No such file or directory (os error 2)`;
  }
  return {
    kind: isVirtio ? 'virtio' : 'vhost',
    drive_id: String(body.drive_id),
    partuuid: text(body.partuuid) ?? null,
    is_root_device: body.is_root_device === true,
    cache_type: text(body.cache_type) ?? 'Unsafe',
    is_read_only: readOnly,
    path_on_host: path ?? null,
    rate_limiter: normalizeRateLimiter(body.rate_limiter),
    io_engine: text(body.io_engine) ?? 'Sync',
    socket: socket ?? null,
  };
};

/** `BlockBuilder::insert` before boot: root rules, then creation; an existing id is replaced. */
export const insertDrive = (resources: VmResources, body: Body, host: DeviceHost): VmmOutcome => {
  const { drives } = resources;
  const position = drives.findIndex((drive) => drive.drive_id === body.drive_id);
  const isRoot = body.is_root_device === true;
  if (isRoot && resources.pmems.some((pmem) => pmem.root_device)) {
    return faultOutcome(
      'Drive config error: Attempt to add block as a root device while the root device defined as a pmem device',
    );
  }
  if (isRoot && drives[0]?.is_root_device === true && position !== 0) {
    return faultOutcome('Drive config error: A root block device already exists!');
  }
  const drive = createDrive(body, host);
  if (typeof drive === 'string') {
    return faultOutcome(drive);
  }
  if (position === -1) {
    if (isRoot) {
      drives.unshift(drive);
    } else {
      drives.push(drive);
    }
  } else {
    drives[position] = drive;
    // The root device always comes first.
    if (position !== 0 && isRoot) {
      const [first] = drives;
      drives[0] = drive;
      drives[position] = first ?? drive;
    }
  }
  return NO_CONTENT;
};

/** `PUT /drives/{id}` on a booted VM: PCI hotplug. */
export const hotplugDrive = (resources: VmResources, body: Body, host: DeviceHost): VmmOutcome => {
  if (!host.enablePci) {
    return faultOutcome(PCI_DISABLED);
  }
  if (resources.drives.some((drive) => drive.drive_id === body.drive_id)) {
    return faultOutcome(ID_IN_USE);
  }
  if (body.is_root_device === true) {
    return faultOutcome('Drive config error: A root block device already exists!');
  }
  const drive = createDrive(body, host);
  if (typeof drive === 'string') {
    return faultOutcome(drive);
  }
  resources.drives.push(drive);
  return NO_CONTENT;
};

/** `PATCH /drives/{id}`: a new backing file and/or rate limiter, or a vhost-user config refresh. */
export const patchDrive = (resources: VmResources, body: Body, host: DeviceHost): VmmOutcome => {
  const prefix = 'Drive config error: Unable to patch the block device';
  const drive = resources.drives.find((candidate) => candidate.drive_id === body.drive_id);
  if (drive === undefined) {
    return faultOutcome(`${prefix}: ${NOT_FOUND}`);
  }
  const path = text(body.path_on_host);
  const wantsRefresh = path === undefined && !given(body.rate_limiter);
  if (wantsRefresh !== (drive.kind === 'vhost')) {
    return faultOutcome(
      `${prefix}: Block: Running method expected different backend. Please verify the request arguments.`,
    );
  }
  if (path !== undefined) {
    const problem = openBacking(host.resolvePath(path), drive.is_read_only);
    if (problem !== undefined) {
      return faultOutcome(
        `${prefix}: Virtio backend error: Error manipulating the backing file: ${problem} ${path}`,
      );
    }
    drive.path_on_host = path;
  }
  if (given(body.rate_limiter)) {
    drive.rate_limiter = patchRateLimiter(drive.rate_limiter, body.rate_limiter);
  }
  return NO_CONTENT;
};

/** `DELETE /drives/{id}`: PCI hot-unplug. */
export const unplugDrive = (resources: VmResources, id: string, host: DeviceHost): VmmOutcome => {
  if (!host.enablePci) {
    return faultOutcome(PCI_DISABLED);
  }
  const index = resources.drives.findIndex((drive) => drive.drive_id === id);
  if (index === -1) {
    return faultOutcome(NOT_FOUND);
  }
  if (resources.drives[index]?.is_root_device === true) {
    return faultOutcome('Cannot unplug root device');
  }
  resources.drives.splice(index, 1);
  return NO_CONTENT;
};

/** `MacAddr`'s Display: lower-case, two digits per group. */
const normalizeMac = (mac: string): string =>
  mac
    .split(':')
    .map((group) => Number.parseInt(group, 16).toString(16).padStart(2, '0'))
    .join(':');

// Linux IFNAMSIZ is 16 including the NUL.
const IFACE_NAME_MAX_LEN = 16;

/** `NetBuilder::create_net`: the TAP is opened first, then the MTU is checked. */
const createNet = (body: Body): NetState | string => {
  const prefix = 'Network config error: Could not create the network device';
  const hostDevName = String(body.host_dev_name);
  if (Buffer.byteLength(hostDevName) >= IFACE_NAME_MAX_LEN) {
    return `${prefix}: Open tap device failed: Invalid interface name`;
  }
  const tapError = tapOpenError(hostDevName);
  if (tapError !== undefined) {
    return `${prefix}: ${tapError}`;
  }
  const mtu = count(body.mtu);
  if (mtu !== undefined && mtu < 68) {
    return `${prefix}: MTU ${mtu} is out of range [68, 65535]`;
  }
  const mac = text(body.guest_mac);
  return {
    iface_id: String(body.iface_id),
    host_dev_name: hostDevName,
    guest_mac: mac === undefined ? null : normalizeMac(mac),
    mtu: mtu ?? null,
    rx_rate_limiter: normalizeRateLimiter(body.rx_rate_limiter),
    tx_rate_limiter: normalizeRateLimiter(body.tx_rate_limiter),
    mmds: false,
  };
};

const macConflict = (resources: VmResources, body: Body): string | undefined => {
  const mac = text(body.guest_mac);
  if (mac === undefined) {
    return undefined;
  }
  const normalized = normalizeMac(mac);
  return resources.nets.some(
    (net) => net.guest_mac === normalized && net.iface_id !== body.iface_id,
  )
    ? `Network config error: The MAC address is already in use: ${normalized}`
    : undefined;
};

/** `NetBuilder::build` before boot: MAC check, then the old interface goes (`swap_remove`). */
export const insertNet = (resources: VmResources, body: Body): VmmOutcome => {
  const conflict = macConflict(resources, body);
  if (conflict !== undefined) {
    return faultOutcome(conflict);
  }
  const { nets } = resources;
  const index = nets.findIndex((net) => net.iface_id === body.iface_id);
  if (index !== -1) {
    // Rust's Vec::swap_remove: the last interface takes the removed one's place.
    const last = nets.pop();
    if (last !== undefined && index < nets.length) {
      nets[index] = last;
    }
  }
  const net = createNet(body);
  if (typeof net === 'string') {
    return faultOutcome(net);
  }
  nets.push(net);
  return NO_CONTENT;
};

/** `PUT /network-interfaces/{id}` on a booted VM: PCI hotplug. */
export const hotplugNet = (resources: VmResources, body: Body, host: DeviceHost): VmmOutcome => {
  if (!host.enablePci) {
    return faultOutcome(PCI_DISABLED);
  }
  if (resources.nets.some((net) => net.iface_id === body.iface_id)) {
    return faultOutcome(ID_IN_USE);
  }
  const conflict = macConflict(resources, body);
  if (conflict !== undefined) {
    return faultOutcome(conflict);
  }
  const net = createNet(body);
  if (typeof net === 'string') {
    return faultOutcome(net);
  }
  resources.nets.push(net);
  return NO_CONTENT;
};

/** `PATCH /network-interfaces/{id}`: new rate limiters. */
export const patchNet = (resources: VmResources, body: Body): VmmOutcome => {
  const net = resources.nets.find((candidate) => candidate.iface_id === body.iface_id);
  if (net === undefined) {
    return faultOutcome(`Network config error: ${NOT_FOUND}`);
  }
  if (given(body.rx_rate_limiter)) {
    net.rx_rate_limiter = patchRateLimiter(net.rx_rate_limiter, body.rx_rate_limiter);
  }
  if (given(body.tx_rate_limiter)) {
    net.tx_rate_limiter = patchRateLimiter(net.tx_rate_limiter, body.tx_rate_limiter);
  }
  return NO_CONTENT;
};

/** `DELETE /network-interfaces/{id}`: PCI hot-unplug. */
export const unplugNet = (resources: VmResources, id: string, host: DeviceHost): VmmOutcome => {
  if (!host.enablePci) {
    return faultOutcome(PCI_DISABLED);
  }
  const index = resources.nets.findIndex((net) => net.iface_id === id);
  if (index === -1) {
    return faultOutcome(NOT_FOUND);
  }
  resources.nets.splice(index, 1);
  return NO_CONTENT;
};

const createPmem = (body: Body): PmemState => ({
  id: String(body.id),
  path_on_host: String(body.path_on_host),
  root_device: body.root_device === true,
  read_only: body.read_only === true,
  rate_limiter: normalizeRateLimiter(body.rate_limiter),
});

const pmemRootConflict = (resources: VmResources, body: Body): string | undefined => {
  if (body.root_device !== true) {
    return undefined;
  }
  if (resources.drives.some((drive) => drive.is_root_device)) {
    return 'Pmem config error: Attempt to add pmem as a root device while the root device defined as a block device';
  }
  return resources.pmems.some((pmem) => pmem.root_device && pmem.id !== body.id)
    ? 'Pmem config error: A root pmem device already exist'
    : undefined;
};

/** `PUT /pmem/{id}` before boot (the file is opened only at InstanceStart). */
export const insertPmem = (resources: VmResources, body: Body): VmmOutcome => {
  const conflict = pmemRootConflict(resources, body);
  if (conflict !== undefined) {
    return faultOutcome(conflict);
  }
  const pmem = createPmem(body);
  const index = resources.pmems.findIndex((candidate) => candidate.id === pmem.id);
  if (index === -1) {
    resources.pmems.push(pmem);
  } else {
    resources.pmems[index] = pmem;
  }
  return NO_CONTENT;
};

/** `PUT /pmem/{id}` on a booted VM: PCI hotplug (the file is opened now). */
export const hotplugPmem = (resources: VmResources, body: Body, host: DeviceHost): VmmOutcome => {
  if (!host.enablePci) {
    return faultOutcome(PCI_DISABLED);
  }
  if (resources.pmems.some((pmem) => pmem.id === body.id)) {
    return faultOutcome(ID_IN_USE);
  }
  const conflict = pmemRootConflict(resources, body);
  if (conflict !== undefined) {
    return faultOutcome(conflict);
  }
  const problem = openBacking(host.resolvePath(String(body.path_on_host)), body.read_only === true);
  if (problem !== undefined) {
    return faultOutcome(`Pmem config error: Error accessing backing file: ${problem}`);
  }
  resources.pmems.push(createPmem(body));
  return NO_CONTENT;
};

/** `PATCH /pmem/{id}`: a new rate limiter. */
export const patchPmem = (resources: VmResources, body: Body): VmmOutcome => {
  const pmem = resources.pmems.find((candidate) => candidate.id === body.id);
  if (pmem === undefined) {
    return faultOutcome(`Pmem config error: ${NOT_FOUND}`);
  }
  pmem.rate_limiter = normalizeRateLimiter(body.rate_limiter);
  return NO_CONTENT;
};

/** `DELETE /pmem/{id}`: PCI hot-unplug. */
export const unplugPmem = (resources: VmResources, id: string, host: DeviceHost): VmmOutcome => {
  if (!host.enablePci) {
    return faultOutcome(PCI_DISABLED);
  }
  const index = resources.pmems.findIndex((pmem) => pmem.id === id);
  if (index === -1) {
    return faultOutcome(NOT_FOUND);
  }
  if (resources.pmems[index]?.root_device === true) {
    return faultOutcome('Cannot unplug root device');
  }
  resources.pmems.splice(index, 1);
  return NO_CONTENT;
};

/** Opens every pmem backing file, as `InstanceStart` does; the first failure's text. */
export const openPmemFiles = (resources: VmResources, host: DeviceHost): string | undefined => {
  for (const pmem of resources.pmems) {
    const problem = openBacking(host.resolvePath(pmem.path_on_host), pmem.read_only);
    if (problem !== undefined) {
      return `Error accessing backing file: ${problem}`;
    }
  }
  return undefined;
};
