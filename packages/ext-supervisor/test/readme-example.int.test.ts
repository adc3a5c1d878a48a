// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import {
  EXAMPLE_TEST_MS,
  createTempFolder,
  readReadmeExample,
  runTypeScriptExample,
  substituteExamplePaths,
  typeCheckExample,
} from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const readme = path.join(packageDir, 'README.md');

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example", () => {
  it('type-checks as a user would compile it, against the built packages', async () => {
    expect(await typeCheckExample(await readReadmeExample(readme), packageDir)).toBe('');
  });

  it(
    'links two VMs, and supervises a worker restarted from its snapshot',
    async () => {
      await using folder = await createTempFolder('kindling-supervisor-readme-');
      const code = substituteExamplePaths(await readReadmeExample(readme), {
        installation: await createFakeInstallation(path.join(folder.path, 'bin')),
        kernelPath: await writeFakeKernel(path.join(folder.path, 'vmlinux')),
        tempDir: folder.path,
      });
      const stdout = await runTypeScriptExample(code, { cwd: packageDir });
      // What the README's comments say each line prints.
      expect(stdout).toBe("crashed exited\nworker snapshot running\ntrue\n{ reason: 'stopped' }\n");
    },
    EXAMPLE_TEST_MS,
  );
});
