// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { findExecutable, runCommand } from './commands.ts';
import type { GuestArtifacts } from './build-guest.ts';

const QEMU = 'qemu-system-x86_64';

/** Whether this host lets QEMU give a VM a vsock device (vhost-vsock needs the host's module). */
export const hasVhostVsock = existsSync('/dev/vhost-vsock');

const installQemu = (): Promise<string> =>
  runCommand('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'qemu-system-x86'], {
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });

/** QEMU's x86_64 system emulator, installed from Debian's packages when missing (as root). */
export const ensureQemu = async (): Promise<string> => {
  const found = findExecutable(QEMU);
  if (found !== undefined) {
    return found;
  }
  if (process.getuid?.() !== 0 || findExecutable('apt-get') === undefined) {
    throw new Error(
      `${QEMU} is missing: install Debian's qemu-system-x86 (as root: apt-get install qemu-system-x86)`,
    );
  }
  // A fresh container may have no package lists yet: fetch them once, then try again.
  await installQemu().catch(async () => {
    await runCommand('apt-get', ['update', '-qq']);
    return installQemu();
  });
  const installed = findExecutable(QEMU);
  if (installed === undefined) {
    throw new Error(`apt-get installed qemu-system-x86 but ${QEMU} is still not found`);
  }
  return installed;
};

/**
 * Boots the guest under QEMU's microvm machine (virtio-mmio found through ACPI, as under
 * Firecracker) with software emulation, the data drive, a user-mode network card, and a vsock
 * device when the host has /dev/vhost-vsock. The serial console is the child's stdio.
 */
export const bootUnderQemu = (
  qemu: string,
  guest: GuestArtifacts,
): ChildProcessWithoutNullStreams => {
  const args = [
    '-M',
    'microvm,acpi=on',
    '-accel',
    'tcg',
    '-cpu',
    'max',
    '-m',
    '512',
    '-smp',
    '1',
    '-nographic',
    '-nodefaults',
    '-no-reboot',
    '-serial',
    'stdio',
    '-kernel',
    guest.kernelPath,
    '-initrd',
    guest.initrdPath,
    // TCG's TSC cannot be calibrated against the PIT: without a given frequency the clock can stall.
    // reboot=t, not Firecracker's reboot=k: microvm has no i8042 to reset through (the kernel then
    // stops at "machine restart"), while a triple fault makes QEMU exit (-no-reboot).
    '-append',
    'console=ttyS0 reboot=t panic=1 tsc_early_khz=2000000 ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:off',
    '-drive',
    `id=data,file=${guest.dataDrivePath},format=raw,if=none,readonly=on`,
    '-device',
    'virtio-blk-device,drive=data',
    '-netdev',
    'user,id=net',
    '-device',
    'virtio-net-device,netdev=net',
    ...(hasVhostVsock ? ['-device', 'vhost-vsock-device,guest-cid=3'] : []),
  ];
  // At the lowest priority: software emulation takes a whole core, and must not starve the other
  // packages' tests that run beside it (their waits are bounded for a machine at rest).
  return spawn('nice', ['-n', '19', qemu, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
};
