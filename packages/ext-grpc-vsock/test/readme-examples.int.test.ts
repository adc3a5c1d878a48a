// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { TEST_WAIT_MS, createTempFolder, type TempFolder } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The first `ts` code block after a heading of the README, as a user would copy it. */
const readExample = async (heading: string): Promise<string> => {
  const text = await readFile(path.join(packageDir, 'README.md'), 'utf8');
  const start = `\n${text}`.indexOf(`\n${heading}\n`);
  expect(start, `README.md has no heading ${heading}`).toBeGreaterThan(-1);
  const block = /```ts\n(?<code>[\s\S]*?)```/u.exec(text.slice(start));
  expect(block?.groups?.['code'], `README.md: no ts block after ${heading}`).toBeDefined();
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
  folder = await createTempFolder('kindling-grpc-readme-');
});
afterAll(async () => {
  await folder[Symbol.asyncDispose]();
});

// Against the fakes whatever the backend: the example is about the README being true.
describe("the README's example runs as written", () => {
  it('boots a VM and makes the four kinds of call to its guest', async () => {
    const example = await readExample('# @kindling/ext-grpc-vsock');
    const bin = await createFakeInstallation(path.join(folder.path, 'bin'));
    const kernel = await writeFakeKernel(path.join(folder.path, 'vmlinux'));
    // Only what a user edits changes: the binaries, the kernel, the socket's folder, the
    // guest's marker and where their generated code is (here, the fake guest's service).
    const code = example
      .replaceAll("'/tmp/", `'${folder.path}/tmp/`)
      .replaceAll('/usr/local/bin/firecracker', bin.firecrackerPath)
      .replaceAll('/usr/local/bin/jailer', bin.jailerPath)
      .replaceAll('/usr/local/bin/snapshot-editor', bin.snapshotEditorPath)
      .replaceAll('/images/vmlinux', kernel)
      .replaceAll("'my-guest: ready'", "'kindling-fake-guest: ready'")
      .replaceAll(
        "'./gen/guest_pb.js'",
        JSON.stringify(path.join(packageDir, 'test', 'support', 'guest_pb.ts')),
      );
    expect(code).not.toContain('./gen/');
    // What the example's comments say each line prints.
    expect(await runExample(code)).toBe('hello\na,b\npong 1\npong 2\na\nb\n');
    // The VM went with its scope, and its socket with it.
    expect(existsSync(path.join(folder.path, 'tmp', 'grpc-demo', 'v.sock'))).toBe(false);
  });
});
