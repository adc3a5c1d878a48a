// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import {
  EXAMPLE_TEST_MS,
  createTempFolder,
  readReadmeExample,
  runTypeScriptExample,
} from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// A bound, not an expectation: tsc takes seconds, more on a busy machine.
const TSC_TIMEOUT_MS = 120_000;

/**
 * tsc's errors for a TypeScript module, compiled inside this package (so that `@kindling/*`
 * resolve by name to built .d.ts files, as in a user's project) with the repository's options;
 * '' when it compiles. The folder is git-ignored and removed.
 */
const typeCheck = async (code: string): Promise<string> => {
  const dir = await mkdtemp(path.join(packageDir, '.readme-typecheck-'));
  try {
    await writeFile(path.join(dir, 'example.ts'), `export {};\n${code}`);
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../../../tooling/tsconfig.base.json', include: ['*.ts'] }),
    );
    return await execFileAsync(
      process.execPath,
      [tscPath, '--project', dir, '--noEmit', '--pretty', 'false'],
      { cwd: dir, timeout: TSC_TIMEOUT_MS },
    ).then(
      () => '',
      (error: unknown) => String((error as { stdout?: string }).stdout ?? error),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example", () => {
  it('type-checks as a user would compile it, against the built packages', async () => {
    expect(await typeCheck(await readReadmeExample(path.join(packageDir, 'README.md')))).toBe('');
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
