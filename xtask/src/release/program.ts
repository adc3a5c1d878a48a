// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { run } from './command.ts';

/** What the user's program prints once its VM runs. */
export const PROGRAM_MARKER = 'release-check: vm state Running';

// A user's program, as fake-vmm's README shows it: a Vm on the fake Firecracker, booted to the
// fake guest's marker. Node runs it as TypeScript (type stripping), from the user's folder only.
const PROGRAM = `import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { Vm } from '@kindling/vm';
import { VmmInstallation } from '@kindling/vmm-core';

const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-release-user-'));
try {
  const fakes = await createFakeInstallation(path.join(dir, 'bin'));
  const kernel = await writeFakeKernel(path.join(dir, 'vmlinux'));
  await using vm = await Vm.prepare({
    installation: new VmmInstallation(fakes),
    configuration: {
      bootSource: { kernel_image_path: kernel, boot_args: 'console=ttyS0 reboot=k' },
      machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
    },
    socketWaitTimeoutMs: 20_000,
  });
  await vm.start();
  await vm.waitForSerialLine('kindling-fake-guest: ready', { timeoutMs: 20_000 });
  console.log('release-check: vm state ' + (await vm.getInfo()).state);
} finally {
  await rm(dir, { recursive: true, force: true });
}
`;

/** Writes the program into `dir` (where the packages are installed), runs it, returns its output. */
export const runUserProgram = async (
  dir: string,
  signal: AbortSignal,
): Promise<{ output: string; ms: number }> => {
  await writeFile(path.join(dir, 'main.ts'), PROGRAM);
  const started = performance.now();
  const output = await run(process.execPath, ['main.ts'], { cwd: dir, timeoutMs: 60_000, signal });
  return { output, ms: Math.round(performance.now() - started) };
};
