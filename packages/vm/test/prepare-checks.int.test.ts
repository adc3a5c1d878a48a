// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { catchError } from '@kindling/test-utils';
import { VmmArguments, VmmInstallation } from '@kindling/vmm-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiVmConfiguration } from '../src/index.js';
import {
  SETUPS,
  basicConfiguration,
  createVmHarness,
  defined,
  type ExecutorSetup,
  type VmHarness,
  unrestricted,
} from './support/vm-harness.js';

let harness: VmHarness;
beforeAll(async () => {
  harness = await createVmHarness();
});
afterAll(async () => {
  await harness.dispose();
});

// Each mistake, and the one error it must give whatever the executor.
const withMissingKernel = (): ApiVmConfiguration => ({
  ...basicConfiguration(harness),
  bootSource: { kernel_image_path: harness.pathFor('images/missing-vmlinux') },
});

describe.each(SETUPS)('mistakes found before anything starts, $name', (setup: ExecutorSetup) => {
  const prepare = (configuration: ApiVmConfiguration, installation = harness.installation) => {
    const id = harness.nextId();
    const { executor, ownership } = setup.create(harness, id);
    return {
      id,
      attempt: harness.prepare(setup, configuration, { executor, ownership, installation }),
    };
  };

  it('a missing kernel is ERR_INVALID_INPUT naming the field, and leaves nothing', async () => {
    const { id, attempt } = prepare(withMissingKernel());
    await expect(attempt).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: `configuration.bootSource.kernel_image_path: no such file, got "${harness.pathFor('images/missing-vmlinux')}": give the path of an existing file`,
    });
    // No jail was laid out (unrestricted VMs have none to begin with).
    expect(existsSync(path.join(harness.dir, 'jail', 'firecracker', id))).toBe(false);
  });

  it('a missing initrd or drive file, or a folder given as one, is ERR_INVALID_INPUT', async () => {
    const base = basicConfiguration(harness);
    const missingInitrd = prepare({
      ...base,
      bootSource: { ...base.bootSource, initrd_path: harness.pathFor('images/none.cpio') },
    }).attempt;
    await expect(missingInitrd).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(
        /^configuration\.bootSource\.initrd_path: no such file, got /u,
      ),
    });
    const folder = harness.pathFor(`images/${setup.tag}-folder`);
    await mkdir(folder, { recursive: true });
    const drive = { drive_id: 'data', is_root_device: false, is_read_only: true };
    const folderDrive = prepare({
      ...base,
      drives: [...defined(base.drives, 'drives'), { ...drive, path_on_host: folder }],
    }).attempt;
    await expect(folderDrive).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: `configuration.drives[1].path_on_host: is a folder, got "${folder}": give the path of a file or a block device`,
    });
  });

  it('a missing firecracker binary is ERR_BINARY_MISSING', async () => {
    const installation = new VmmInstallation({
      firecrackerPath: path.join(harness.dir, 'bin', 'no-firecracker'),
      jailerPath: harness.installation.jailerPath,
      snapshotEditorPath: harness.installation.snapshotEditorPath,
    });
    await expect(prepare(basicConfiguration(harness), installation).attempt).rejects.toMatchObject({
      code: 'ERR_BINARY_MISSING',
    });
  });

  it('reports the first mistake in order (binary, then files), though the checks run at once', async () => {
    const installation = new VmmInstallation({
      firecrackerPath: path.join(harness.dir, 'bin', 'no-firecracker'),
      jailerPath: harness.installation.jailerPath,
      snapshotEditorPath: harness.installation.snapshotEditorPath,
    });
    await expect(prepare(withMissingKernel(), installation).attempt).rejects.toMatchObject({
      code: 'ERR_BINARY_MISSING',
    });
    const twoMissing = prepare({
      ...withMissingKernel(),
      bootSource: {
        kernel_image_path: harness.pathFor('images/missing-vmlinux'),
        initrd_path: harness.pathFor('images/none.cpio'),
      },
    }).attempt;
    await expect(twoMissing).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(
        /^configuration\.bootSource\.kernel_image_path: no such file/u,
      ),
    });
  });
});

describe('one code for bad input, whichever layer finds it', () => {
  it('a bad VM id and a bad configuration field are both ERR_INVALID_INPUT', async () => {
    const badId = await catchError(() => new VmmArguments({ id: 'not an id' }));
    expect(badId).toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(/^vmmArguments\.id: /u),
    });
    await expect(
      harness.prepare(unrestricted, {
        ...basicConfiguration(harness),
        machineConfig: { vcpu_count: 0, mem_size_mib: 128 },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(/^configuration\.machineConfig\.vcpu_count: /u),
    });
  });
});
