// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultApiSocketFolder } from '@kindling/executor';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { TEST_WAIT_MS, createTempFolder, type TempFolder } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repositoryDir = path.resolve(packageDir, '../..');

/** The first `ts` code block after a heading of a README, as a user would copy it. */
const readExample = async (readme: string, heading: string): Promise<string> => {
  const text = await readFile(path.join(repositoryDir, readme), 'utf8');
  const start = `\n${text}`.indexOf(`\n${heading}\n`);
  expect(start, `${readme} has no heading ${heading}`).toBeGreaterThan(-1);
  const block = /```ts\n(?<code>[\s\S]*?)```/u.exec(text.slice(start));
  expect(block?.groups?.['code'], `${readme}: no ts block after ${heading}`).toBeDefined();
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
  folder = await createTempFolder('kindling-readme-');
});
afterAll(async () => {
  await folder[Symbol.asyncDispose]();
});

// Against the fakes whatever the backend: the examples are about the READMEs being true.
describe("the READMEs' examples run as written", () => {
  it("the root README's quick start boots a VM with every default and leaves nothing", async () => {
    const example = await readExample('README.md', '## Quick start');
    const bin = await createFakeInstallation(path.join(folder.path, 'bin'));
    const kernel = await writeFakeKernel(path.join(folder.path, 'vmlinux'));
    // Only the paths a user edits change: the binaries and the kernel.
    const code = example
      .replaceAll('/usr/local/bin/firecracker', bin.firecrackerPath)
      .replaceAll('/usr/local/bin/jailer', bin.jailerPath)
      .replaceAll('/usr/local/bin/snapshot-editor', bin.snapshotEditorPath)
      .replaceAll('/images/vmlinux', kernel);
    expect(code).not.toBe(example);
    const stdout = await runExample(code);
    const [, id] = /^running (kindling-[0-9a-f]{16})\n$/u.exec(stdout) ?? [];
    expect(id, stdout).toBeDefined();
    expect(existsSync(path.join(defaultApiSocketFolder(), `${id}.sock`))).toBe(false);
  });

  it("vm's README boots, snapshots, restores and shuts down as it says", async () => {
    const example = await readExample('packages/vm/README.md', '# @kindling/vm');
    const bin = await createFakeInstallation(path.join(folder.path, 'vm-bin'));
    const kernel = await writeFakeKernel(path.join(folder.path, 'vm-vmlinux'));
    const rootfs = path.join(folder.path, 'rootfs.ext4');
    await writeFile(rootfs, 'rootfs');
    // The temporary paths first: the others are under the temporary folder themselves.
    const code = example
      .replaceAll("'/tmp/", `'${folder.path}/tmp/`)
      .replaceAll("'/var/tmp/", `'${folder.path}/var-tmp/`)
      .replaceAll('/usr/local/bin/firecracker', bin.firecrackerPath)
      .replaceAll('/usr/local/bin/jailer', bin.jailerPath)
      .replaceAll('/usr/local/bin/snapshot-editor', bin.snapshotEditorPath)
      .replaceAll('/images/vmlinux', kernel)
      .replaceAll('/images/rootfs.ext4', rootfs);
    const output = await runExample(code);
    // What the README's comments say each line prints.
    expect(output).toMatch(
      /^running \{\n {2}id: 'kindling-[0-9a-f]{16}',\n {2}state: 'Running',\n {2}vmm_version: '1\.16\.1',/u,
    );
    expect(output).toMatch(/\{\n {2}vcpu_count: 2,\n {2}mem_size_mib: 256,\n {2}smt: false,/u);
    expect(output).toMatch(/\nrunning\nctrl-alt-del true \{ kind: 'exited', code: 0 \}\n$/u);
    // The copies are the user's; everything else went with the VMs.
    expect(await readdir(path.join(folder.path, 'var-tmp'))).toEqual(['demo.mem', 'demo.state']);
    expect(existsSync(path.join(folder.path, 'tmp', 'demo'))).toBe(false);
    expect(existsSync(path.join(folder.path, 'tmp', 'demo-original.sock'))).toBe(false);
    expect(existsSync(path.join(folder.path, 'tmp', 'demo-restored.sock'))).toBe(false);
  });

  it("fake-vmm's README wires the fakes into a Vm in a user's own test", async () => {
    const example = await readExample('packages/fake-vmm/README.md', '## Use it in your own tests');
    expect(await runExample(example)).toBe('Running\n');
  });
});
