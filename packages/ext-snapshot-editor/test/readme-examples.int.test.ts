// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { TEST_WAIT_MS, createTempFolder, type TempFolder } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The first `ts` code block of the README, as a user would copy it. */
const readExample = async (): Promise<string> => {
  const text = await readFile(path.join(packageDir, 'README.md'), 'utf8');
  const block = /```ts\n(?<code>[\s\S]*?)```/u.exec(text);
  expect(block?.groups?.['code'], 'README.md has no ts block').toBeDefined();
  return block?.groups?.['code'] ?? '';
};

let folder: TempFolder;
beforeAll(async () => {
  folder = await createTempFolder('kindling-readme-');
});
afterAll(async () => {
  await folder[Symbol.asyncDispose]();
});

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example", () => {
  it('snapshots, reads, rebases and restores as its comments say', async () => {
    const example = await readExample();
    const bin = await createFakeInstallation(path.join(folder.path, 'bin'));
    const kernel = await writeFakeKernel(path.join(folder.path, 'vmlinux'));
    // Only the paths a user edits change: the binaries, the kernel and the copies.
    const code = example
      .replaceAll("'/tmp/", `'${folder.path}/tmp/`)
      .replaceAll('/usr/local/bin/firecracker', bin.firecrackerPath)
      .replaceAll('/usr/local/bin/jailer', bin.jailerPath)
      .replaceAll('/usr/local/bin/snapshot-editor', bin.snapshotEditorPath)
      .replaceAll('/images/vmlinux', kernel);
    // Run where a user's program would import the packages from; Node strips the types.
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--input-type=module-typescript', '--eval', code],
      { cwd: packageDir, timeout: TEST_WAIT_MS },
    );
    expect(stdout).toBe(
      [
        "{ text: 'v10.0.0', major: 10, minor: 0, patch: 0 }",
        '0 object',
        'MicrovmState',
        'Full true',
        'running',
        '',
      ].join('\n'),
    );
    // The copies are the user's: the rebase changed the full one in place and left them.
    expect((await readdir(path.join(folder.path, 'tmp', 'demo'))).toSorted()).toEqual([
      'diff.mem',
      'diff.state',
      'full.mem',
      'full.state',
    ]);
  });
});
