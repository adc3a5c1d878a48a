// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EXAMPLE_TEST_MS,
  createExampleFixture,
  readReadmeExample,
  runTypeScriptExample,
  substituteExamplePaths,
  typeCheckExample,
} from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { listProcessesUnder } from './support/pool-fixture.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const readme = path.join(packageDir, 'README.md');

// Against the fakes whatever the backend: the example is about the README being true. Its
// second block (a namespace per VM) needs @kindling/ext-network and root: packages/e2e runs it.
describe("the README's example", () => {
  it('type-checks as a user would compile it, against the built packages', async () => {
    expect(await typeCheckExample(await readReadmeExample(readme), packageDir)).toBe('');
  });

  it(
    'fills a pool of three, hands one out running, destroys it on release, refills, and drains',
    async () => {
      await using fixture = await createExampleFixture('kindling-pool-readme-');
      const code = substituteExamplePaths(await readReadmeExample(readme), fixture.paths);
      const stdout = await runTypeScriptExample(code, { cwd: packageDir });
      // What the README's comments say each line prints.
      expect(stdout).toBe('3\nrunning\nexited\n4\n');
      // The snapshot's copy stays (it is the user's); the pool's VMs and the source are gone.
      expect((await readdir(path.join(fixture.paths.tempDir, 'pool-demo'))).toSorted()).toEqual([
        'vm.mem',
        'vm.state',
      ]);
      expect(await listProcessesUnder(fixture.dir)).toEqual([]);
    },
    EXAMPLE_TEST_MS,
  );
});
