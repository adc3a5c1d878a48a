// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { rename, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { writeFakeKernel } from '../src/testing/fake-kernel.js';
import { startFakeVm } from './support/fake-vm.js';

// Firecracker opens the kernel at PUT /boot-source and loads it as an ELF at InstanceStart.

describe('the kernel image', () => {
  it('refuses a kernel that is not an ELF image at InstanceStart, not at PUT /boot-source', async () => {
    await using vm = await startFakeVm();
    await writeFile(vm.path('vmlinux'), 'not an ELF image');
    expect(
      (await vm.api('PUT', '/boot-source', { kernel_image_path: vm.path('vmlinux') })).status,
    ).toBe(204);
    const started = await vm.api('PUT', '/actions', { action_type: 'InstanceStart' });
    expect(started.status).toBe(400);
    expect(JSON.parse(started.body)).toEqual({
      fault_message:
        'Start microvm error: System configuration error: Cannot load kernel due to invalid memory configuration or invalid kernel image: Kernel Loader: failed to load ELF kernel image: Kernel Loader: Unable to read elf header',
    });
    expect(JSON.parse((await vm.api('GET', '/')).body)).toMatchObject({ state: 'Not started' });
  });

  it('boots the minimal ELF of writeFakeKernel', async () => {
    await using vm = await startFakeVm();
    await writeFakeKernel(vm.path('vmlinux'));
    await vm.api('PUT', '/boot-source', { kernel_image_path: vm.path('vmlinux') });
    expect((await vm.api('PUT', '/actions', { action_type: 'InstanceStart' })).status).toBe(204);
  });

  it('loads the file it opened at PUT /boot-source, even when another replaces it', async () => {
    await using vm = await startFakeVm();
    await writeFakeKernel(vm.path('vmlinux'));
    await vm.api('PUT', '/boot-source', { kernel_image_path: vm.path('vmlinux') });
    await writeFile(vm.path('other'), 'not an ELF image');
    await rename(vm.path('other'), vm.path('vmlinux'));
    expect((await vm.api('PUT', '/actions', { action_type: 'InstanceStart' })).status).toBe(204);
  });
});
