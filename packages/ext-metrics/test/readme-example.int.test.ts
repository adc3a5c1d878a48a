// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
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

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example", () => {
  it('type-checks as a user would compile it, against the built packages', async () => {
    expect(
      await typeCheckExample(
        await readReadmeExample(path.join(packageDir, 'README.md')),
        packageDir,
      ),
    ).toBe('');
  });

  it(
    'reads, exports and serves a VM’s metrics, and drops its series when it ends',
    async () => {
      await using folder = await createTempFolder('kindling-metrics-readme-');
      const bin = await createFakeInstallation(path.join(folder.path, 'bin'));
      const kernel = await writeFakeKernel(path.join(folder.path, 'vmlinux'));
      const fifo = path.join(folder.path, 'metrics-demo.fifo');
      // Only what a user edits changes: the binaries, the kernel, the FIFO and the port.
      const code = (await readReadmeExample(path.join(packageDir, 'README.md')))
        .replaceAll('/tmp/metrics-demo.fifo', fifo)
        .replaceAll('/usr/local/bin/firecracker', bin.firecrackerPath)
        .replaceAll('/usr/local/bin/jailer', bin.jailerPath)
        .replaceAll('/usr/local/bin/snapshot-editor', bin.snapshotEditorPath)
        .replaceAll('/images/vmlinux', kernel)
        .replaceAll('port: 9464', 'port: 0');
      const stdout = await runTypeScriptExample(code, { cwd: packageDir });
      // What the README's comments say each line prints.
      expect(stdout).toBe(
        '1\n1\nfirecracker_put_api_requests_machine_cfg_count_total{vm_id="demo"} 1\n[]\n',
      );
      // The VM's FIFO went with it.
      expect(existsSync(fifo)).toBe(false);
    },
    EXAMPLE_TEST_MS,
  );
});
