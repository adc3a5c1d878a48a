// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from './config-file.js';

describe('readConfigFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-cli-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, text: string): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };

  it("turns Firecracker's kebab-case sections into Kindling's items, values as they are", async () => {
    const file = await write(
      'vm.json',
      JSON.stringify({
        'boot-source': { kernel_image_path: '/k', boot_args: 'console=ttyS0' },
        'machine-config': { vcpu_count: 2, mem_size_mib: 256 },
        drives: [],
        'network-interfaces': [],
      }),
    );
    expect(await readConfigFile(file)).toEqual({
      bootSource: { kernel_image_path: '/k', boot_args: 'console=ttyS0' },
      machineConfig: { vcpu_count: 2, mem_size_mib: 256 },
      drives: [],
      networkInterfaces: [],
    });
  });

  it('refuses an unknown section, naming the known ones', async () => {
    const file = await write('bad.json', JSON.stringify({ 'boot-sauce': {} }));
    await expect(readConfigFile(file)).rejects.toThrow(
      /--config .*bad\.json: unknown section "boot-sauce"; Firecracker's sections are boot-source, drives/u,
    );
  });

  it('refuses what is not JSON, or not an object, with ERR_INVALID_INPUT', async () => {
    const notJson = await write('not.json', '{ nope');
    await expect(readConfigFile(notJson)).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    const array = await write('array.json', '[]');
    await expect(readConfigFile(array)).rejects.toThrow(/expected a JSON object/u);
  });
});
