// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HarnessGuest } from '@kindling/test-vm';

// On a usable KVM the guest prints its marker in a second or two; this is generous.
const PROBE_MS = 30_000;

/**
 * Whether a real Firecracker can run a guest here: `undefined` if it can, else why not. /dev/kvm
 * may open, and Firecracker may start, yet the guest never run (nested virtualisation without
 * what Firecracker needs): so the probe boots the guest and waits for its marker.
 */
export const probeKvm = async (
  firecrackerPath: string,
  guest: HarnessGuest,
): Promise<string | undefined> => {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch (error) {
    return `no usable KVM: /dev/kvm cannot be opened (${(error as NodeJS.ErrnoException).code})`;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-e2e-kvm-'));
  try {
    const config = path.join(dir, 'vm.json');
    await writeFile(
      config,
      JSON.stringify({
        'boot-source': {
          kernel_image_path: guest.kernelPath,
          ...(guest.initrdPath === undefined ? {} : { initrd_path: guest.initrdPath }),
          boot_args: 'console=ttyS0 reboot=k panic=1',
        },
        'machine-config': { vcpu_count: 1, mem_size_mib: guest.memSizeMib ?? 128 },
        drives: [],
      }),
    );
    const child = spawn(
      firecrackerPath,
      ['--no-api', '--config-file', config, '--level', 'Error'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const outcome = await new Promise<'marker' | 'exit' | 'timeout'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), PROBE_MS);
      const collect = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (output.includes(guest.marker)) {
          clearTimeout(timer);
          resolve('marker');
        }
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve('exit');
      });
    });
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    const last = output.trim().split('\n').at(-1)?.slice(0, 160) ?? '';
    const reasons = {
      marker: undefined,
      exit: `no usable KVM: Firecracker could not run the guest (${last})`,
      timeout: `no usable KVM: the guest printed no "${guest.marker}" within ${PROBE_MS / 1000} s (last output: ${last === '' ? 'none' : last})`,
    };
    return reasons[outcome];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
