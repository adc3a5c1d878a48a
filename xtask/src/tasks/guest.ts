// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import process from 'node:process';
import type { CheckContext, CheckResult } from '../check.ts';
import { resultOf } from '../check.ts';
import { buildGuest } from '../guest/build-guest.ts';

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * Builds the test guest into `.guest/` (or finds it cached) and prints where it is, what it
 * weighs, and the variables that point the end-to-end suite at it.
 */
export const runGuest = async (
  context: CheckContext,
  output: NodeJS.WritableStream = process.stdout,
): Promise<CheckResult> => {
  const started = Date.now();
  try {
    const guest = await buildGuest(context.root, (line) => output.write(`guest: ${line}\n`));
    const relative = (file: string): string => path.relative(context.root, file);
    output.write(
      [
        `guest: ${guest.cached ? 'cached' : 'built'} in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
          `(kernel ${guest.kernelVersion}, Node ${guest.nodeVersion})`,
        `  ${relative(guest.kernelPath)}     ${mib(guest.sizes.kernel)} (uncompressed ELF)`,
        `  ${relative(guest.initrdPath)}  ${mib(guest.sizes.initrd)} (zstd; busybox, socat, Node, the agent)`,
        `  ${relative(guest.dataDrivePath)}   ${mib(guest.sizes.dataDrive)} (ext4, label kindling-data)`,
        'Boot arguments: console=ttyS0 reboot=k panic=1 [ip=<guest>::<gateway>:<netmask>::eth0:off]',
        'For the end-to-end suite against a real Firecracker:',
        `  export KINDLING_KERNEL=${guest.kernelPath} KINDLING_INITRD=${guest.initrdPath}`,
        '',
      ].join('\n'),
    );
    return resultOf('guest', []);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return resultOf('guest', [{ file: 'xtask/src/guest/build-guest.ts', message }]);
  }
};
