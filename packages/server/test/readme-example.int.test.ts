// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import {
  EXAMPLE_TEST_MS,
  createTempFolder,
  readReadmeExample,
  runTypeScriptExample,
  typeCheckExample,
} from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe("the README's example", () => {
  it('type-checks as a user would compile it, against the built package', async () => {
    expect(
      await typeCheckExample(
        await readReadmeExample(path.join(packageDir, 'README.md')),
        packageDir,
      ),
    ).toBe('');
  });

  it(
    'starts a server, creates, refuses, snapshots and deletes a VM, as its comments say',
    async () => {
      await using folder = await createTempFolder('kindling-server-readme-');
      const bin = await createFakeInstallation(path.join(folder.path, 'bin'));
      const images = path.join(folder.path, 'images');
      const state = path.join(folder.path, 'state');
      await mkdir(images);
      await writeFakeKernel(path.join(images, 'vmlinux'));
      // Only what a user edits changes: the binaries and the two folders.
      const code = (await readReadmeExample(path.join(packageDir, 'README.md')))
        .replaceAll('/var/lib/kindling-server', state)
        .replaceAll("'/images'", JSON.stringify(images))
        .replaceAll('/usr/local/bin/firecracker', bin.firecrackerPath)
        .replaceAll('/usr/local/bin/jailer', bin.jailerPath)
        .replaceAll('/usr/local/bin/snapshot-editor', bin.snapshotEditorPath);
      const stdout = await runTypeScriptExample(code, { cwd: packageDir });
      expect(stdout).toBe(
        `unix:${state}/server.sock\n201 running\n400 ERR_INVALID_INPUT\n201\n204\n`,
      );
    },
    EXAMPLE_TEST_MS,
  );
});
