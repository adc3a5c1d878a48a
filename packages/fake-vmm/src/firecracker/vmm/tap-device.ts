// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFileSync } from 'node:fs';
import { describeErrno } from '../../rust/io-error.js';

// Linux's IFF_TAP, as /sys/class/net/<name>/tun_flags shows it.
const IFF_TAP = 0x0002;

const readSysfs = (name: string, attribute: string): string | undefined => {
  try {
    return readFileSync(`/sys/class/net/${name}/${attribute}`, 'utf8').trim();
  } catch {
    return undefined;
  }
};

// tun.c's tun_not_capable(): a set owner or group that is not ours, and no CAP_NET_ADMIN (root).
const isNotCapable = (owner: string | undefined, group: string | undefined): boolean => {
  const euid = process.geteuid?.() ?? 0;
  if (euid === 0) {
    return false;
  }
  const ownerId = Number(owner ?? '-1');
  const groupId = Number(group ?? '-1');
  const groups = [process.getegid?.() ?? -1, ...(process.getgroups?.() ?? [])];
  return (ownerId !== -1 && ownerId !== euid) || (groupId !== -1 && !groups.includes(groupId));
};

/**
 * What Firecracker's TUNSETIFF on `name` would say, as far as Node can tell without the ioctl:
 * an existing device that is not a TAP (a veth, a TUN) is EINVAL, and a TAP owned by another
 * user or group is EPERM for a process without CAP_NET_ADMIN. Undefined when it would open: also
 * for a name that does not exist (Firecracker as root creates a non-persistent TAP; the fake
 * cannot) and for a TAP another process holds (EBUSY; nothing in sysfs shows it).
 */
export const tapOpenError = (name: string): string | undefined => {
  if (readSysfs(name, 'ifindex') === undefined) {
    return undefined;
  }
  const tunFlags = readSysfs(name, 'tun_flags');
  const errno =
    tunFlags === undefined || (Number.parseInt(tunFlags, 16) & IFF_TAP) === 0
      ? 'EINVAL'
      : isNotCapable(readSysfs(name, 'owner'), readSysfs(name, 'group'))
        ? 'EPERM'
        : undefined;
  return errno === undefined
    ? undefined
    : `Open tap device failed: Error while creating ifreq structure: ${describeErrno(errno).display}. Invalid TUN/TAP Backend provided by ${name}. Check our documentation on setting up the network devices.`;
};
