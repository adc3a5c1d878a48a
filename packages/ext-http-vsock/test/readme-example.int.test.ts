// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildFakeEnv, createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { TEST_WAIT_MS, createTempFolder, type TempFolder } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The first `ts` code block of the package's README, as a user would copy it. */
const readExample = async (): Promise<string> => {
  const text = await readFile(path.join(packageDir, 'README.md'), 'utf8');
  const block = /```ts\n(?<code>[\s\S]*?)```/u.exec(text);
  expect(block?.groups?.['code'], 'README.md has no ts block').toBeDefined();
  return block?.groups?.['code'] ?? '';
};

// Run where a user's program would import the packages from: this package resolves itself and
// its dependencies by name. Node strips the types.
const runExample = async (code: string): Promise<string> => {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--input-type=module-typescript', '--eval', code],
    { cwd: packageDir, timeout: TEST_WAIT_MS },
  );
  return stdout;
};

let folder: TempFolder;
beforeAll(async () => {
  folder = await createTempFolder('kindling-http-vsock-readme-');
});
afterAll(async () => {
  await folder[Symbol.asyncDispose]();
});

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example runs as written", () => {
  it('POSTs /ping over vsock with vsockFetch and a dispatcher, and refuses while paused', async () => {
    const example = await readExample();
    // The fake guest prints the README's marker; its HTTP agent on port 8000 answers /ping.
    const bin = await createFakeInstallation(path.join(folder.path, 'bin'), {
      env: buildFakeEnv({ bootMarker: 'my-guest: ready' }),
    });
    const kernel = await writeFakeKernel(path.join(folder.path, 'vmlinux'));
    // Only the paths a user edits change: the binaries, the kernel and the vsock socket's folder.
    const code = example
      .replaceAll("'/tmp/", `'${folder.path}/tmp/`)
      .replaceAll('/usr/local/bin/firecracker', bin.firecrackerPath)
      .replaceAll('/usr/local/bin/jailer', bin.jailerPath)
      .replaceAll('/usr/local/bin/snapshot-editor', bin.snapshotEditorPath)
      .replaceAll('/images/vmlinux', kernel);
    expect(code).not.toBe(example);
    // What the README's comments say each line prints.
    expect(await runExample(code)).toBe('200 { c: 42 }\n200 { c: 42 }\nERR_WRONG_STATE\n');
    // The VM took its vsock socket with it.
    expect(existsSync(path.join(folder.path, 'tmp', 'my-vm', 'v.sock'))).toBe(false);
  });
});
