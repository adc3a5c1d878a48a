// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultApiSocketFolder } from '@kindling/executor';
import { buildFakeEnv, createFakeInstallation } from '@kindling/fake-vmm';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { expect } from 'vitest';
import {
  binaries,
  expectCompleted,
  oneLine,
  patient,
  runExample,
  substitute,
  type ReadmeRuns,
} from './readme-run.ts';

/** The examples of the root README, the vm README and the fake-vmm README that run. */
export const VM_RUNS: ReadmeRuns = {
  'README.md § Quick start': async (example, { bin, kernel }) => {
    const code = substitute(example, [
      ...binaries(bin),
      ['/images/vmlinux', kernel],
      patient.start('vm'),
    ]);
    const stdout = expectCompleted(example, await runExample(code));
    expect(stdout).toMatch(/^running kindling-[0-9a-f]{16}\n$/u);
    const id = stdout.trim().split(' ')[1];
    expect(existsSync(path.join(defaultApiSocketFolder(), `${id}.sock`))).toBe(false);
  },

  'packages/vm/README.md § @kindling/vm': async (example, { folder, bin, kernel }) => {
    const rootfs = path.join(folder, 'rootfs.ext4');
    await writeFile(rootfs, 'rootfs');
    // The temporary paths first: the others are under the temporary folder themselves.
    const code = substitute(example, [
      ["'/tmp/", `'${folder}/tmp/`],
      ["'/var/tmp/", `'${folder}/var-tmp/`],
      ...binaries(bin),
      ['/images/vmlinux', kernel],
      ['/images/rootfs.ext4', rootfs],
      patient.start('vm'),
      patient.start('restored'),
    ]);
    const output = expectCompleted(example, await runExample(code));
    // What the README's comments say each line prints.
    expect(output).toMatch(
      /^running \{\n {2}id: 'kindling-[0-9a-f]{16}',\n {2}state: 'Running',\n {2}vmm_version: '1\.16\.1',/u,
    );
    expect(output).toMatch(/\{\n {2}vcpu_count: 2,\n {2}mem_size_mib: 256,\n {2}smt: false,/u);
    expect(output).toMatch(/\nrunning\nctrl-alt-del true \{ kind: 'exited', code: 0 \}\n$/u);
    // The copies are the user's; everything else went with the VMs.
    expect(await readdir(path.join(folder, 'var-tmp'))).toEqual(['demo.mem', 'demo.state']);
    expect(existsSync(path.join(folder, 'tmp', 'demo'))).toBe(false);
    expect(existsSync(path.join(folder, 'tmp', 'demo-original.sock'))).toBe(false);
    expect(existsSync(path.join(folder, 'tmp', 'demo-restored.sock'))).toBe(false);
  },

  'packages/vm/README.md § @kindling/vm (2)': async (example, { bin }) => {
    // It continues the first example: its installation, and VmmArguments imported.
    const prelude = `import { VmmArguments, VmmInstallation } from '@kindling/vmm-core';
const installation = new VmmInstallation(${JSON.stringify(bin)});
`;
    // Nothing runs without root: the executor is built, and knows where its jail will be.
    const epilogue = `import { DirectSpawner } from '@kindling/spawner';
import { ResourceSystem } from '@kindling/vmm-core';
console.log(
  executor.getSocketPath({ installation, spawner: new DirectSpawner(), resourceSystem: new ResourceSystem() }),
);
`;
    const stdout = expectCompleted(
      example,
      await runExample(`${prelude}${example.code}${epilogue}`),
    );
    expect(stdout).toBe('/srv/jailer/firecracker/demo/root/run/firecracker.socket\n');
  },

  'packages/vm/README.md § Talking with the guest: vsock and the serial console': async (
    example,
    { folder, kernel },
  ) => {
    // A running VM whose guest prints the marker the example waits for, with a vsock device.
    const guestBin = await createFakeInstallation(path.join(folder, 'guest-bin'), {
      env: buildFakeEnv({ bootMarker: 'my-guest: ready' }),
    });
    const prelude = `import { Vm } from '@kindling/vm';
import { VmmInstallation } from '@kindling/vmm-core';
const signal = AbortSignal.timeout(${TEST_WAIT_MS});
await using vm = await Vm.prepare({
  installation: new VmmInstallation(${JSON.stringify(guestBin)}),
  configuration: {
    bootSource: { kernel_image_path: ${JSON.stringify(kernel)}, boot_args: 'console=ttyS0 reboot=k' },
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
    vsock: { guest_cid: 3, uds_path: ${JSON.stringify(path.join(folder, 'guest.vsock'))} },
  },
});
await vm.start({ socketWaitTimeoutMs: ${TEST_WAIT_MS} });
`;
    // What the guest's echo (5000) and HTTP (8000) services answered, and the listener.
    const epilogue = `socket.resume();
socket.write('hello');
console.log(String(await new Promise((resolve) => socket.once('data', resolve))));
console.log(await body.text());
console.log(server.listening);
`;
    const stdout = expectCompleted(
      example,
      await runExample(`${prelude}${example.code}${epilogue}`),
    );
    expect(stdout).toBe('hello\n{"service":"kindling-fake-guest","port":8000}\ntrue\n');
    expect(existsSync(path.join(folder, 'guest.vsock'))).toBe(false);
    expect(existsSync(path.join(folder, 'guest.vsock_7000'))).toBe(false);
  },

  'packages/vm/README.md § Profiles: limits and permissions': async (
    example,
    { folder, bin, kernel },
  ) => {
    // The allowed folder holds the kernel and the root drive; the refused drive is elsewhere.
    const images = path.join(folder, 'profile-images');
    const data = path.join(folder, 'profile-srv', 'data.ext4');
    await mkdir(images);
    await mkdir(path.dirname(data));
    await copyFile(kernel, path.join(images, 'vmlinux'));
    await writeFile(path.join(images, 'rootfs.ext4'), 'rootfs');
    await writeFile(data, 'data');
    const code = substitute(example, [
      ["'/images'", `'${images}'`],
      ['/images/', `${images}/`],
      ['/srv/data.ext4', data],
      ...binaries(bin),
      patient.start('vm'),
    ]);
    const stdout = expectCompleted(example, await runExample(code));
    expect(stdout).toBe(
      `{ size: 50000000, refill_time: 1000, one_time_burst: null }\nconfiguration.drives[1].path_on_host: resolves to "${data}", outside every folder of profile.allowedFolders (${images}), got "${data}": move the file into an allowed folder, or allow its folder in the profile\n`,
    );
  },

  'packages/fake-vmm/README.md § Use it in your own tests': async (example) => {
    const code = substitute(example, [patient.start('vm')]);
    expect(expectCompleted(example, await runExample(code))).toBe('Running\n');
  },

  'packages/fake-vmm/README.md § Programmatic API': async (example) => {
    const epilogue =
      'console.log(JSON.stringify({ id: fake.id, dir: fake.dir, socketPath: fake.socketPath }));\n';
    const stdout = expectCompleted(
      example,
      await runExample(`${substitute(example, [patient.fake()])}${epilogue}`),
    );
    const lines = stdout.trimEnd().split('\n');
    const { id, dir, socketPath } = JSON.parse(lines.at(-1) ?? '{}') as Record<string, string>;
    expect(socketPath).toBe(`${dir}/jail/firecracker/${id}/root/run/firecracker.socket`);
    expect(oneLine(lines.slice(0, -1).join('\n'))).toMatch(
      /^200 \{ seq: 1, method: 'GET', path: '\/', body: null, status: 200, /u,
    );
    // Leaving the block removed the fake's whole folder.
    expect(existsSync(dir ?? '')).toBe(false);
  },
};
