// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HarnessGuest } from '@kindling/test-vm';

// A guest that keeps running this long ran on KVM: a KVM that cannot run one fails at once.
const PROBE_MS = 3000;

/**
 * Whether a real Firecracker can run a guest here: `undefined` if it can, else why not. /dev/kvm
 * may exist and open but still fail to run a vCPU (nested virtualisation without the features
 * Firecracker needs), so the probe boots the guest for a moment.
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
      }),
    );
    const child = spawn(firecrackerPath, ['--no-api', '--config-file', config, '--level', 'Error'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const ended = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PROBE_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!ended) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      return undefined;
    }
    const last = output.trim().split('\n').at(-1) ?? '';
    return `no usable KVM: Firecracker could not run the guest (${last.slice(0, 160)})`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
