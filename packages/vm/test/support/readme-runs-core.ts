// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isRoot } from '@kindling/test-utils';
import { expect } from 'vitest';
import {
  binaries,
  expectCompleted,
  expectThrew,
  oneLine,
  patient,
  runExample,
  substitute,
  writeConfigFile,
  type ReadmeRuns,
} from './readme-run.ts';

// Only root hands files to another user and drops a jail to it: anyone else's examples run with
// their own ids where the README has uid 1000.
const ownIds = (...patterns: string[]): [string, string][] =>
  isRoot
    ? []
    : patterns.map((pattern) => [
        pattern,
        pattern
          .replace(/uid: \d+/u, `uid: ${process.getuid?.()}`)
          .replace(/gid: \d+/u, `gid: ${process.getgid?.()}`),
      ]);

/** The examples of the spawner's, vmm-core's and the executor's READMEs that run. */
export const CORE_RUNS: ReadmeRuns = {
  'packages/spawner/README.md § Usage': async (example, { bin }) => {
    // `firecracker` is looked up on PATH, as a user's would be.
    const env = { PATH: `${path.dirname(bin.firecrackerPath)}:${process.env['PATH'] ?? ''}` };
    const code = substitute(example, [patient.bound('AbortSignal.timeout(5_000)')]);
    const stdout = expectCompleted(example, await runExample(code, { env }));
    expect(stdout).toMatch(/^Firecracker v1\.16\.1\n/u);
    expect(stdout).toContain('{ code: 0, signal: null }\n');
  },

  'packages/vmm-core/README.md § Ids': async (example) => {
    const outcome = await runExample(example.code);
    const stdout = expectThrew(
      example,
      outcome,
      'ERR_INVALID_INPUT',
      'id: must be 1 to 64 bytes of UTF-8',
    );
    expect(stdout).toBe('vm-1\ntrue\nfalse\n');
  },

  'packages/vmm-core/README.md § Firecracker and jailer arguments': async (example) => {
    const stdout = oneLine(expectCompleted(example, await runExample(example.code)));
    const id = /'(?<id>kindling-[0-9a-f]{16})'/u.exec(stdout)?.groups?.['id'];
    expect(stdout).toContain(
      `[ '--api-sock', '/run/firecracker.socket', '--id', '${id}', '--log-path', '/var/log/vm-1.log',`,
    );
    expect(stdout).toContain(` ${id} [ '--id', 'vm-1', `);
    // The jailer passes its own id: the generated one is dropped after `--`.
    expect(stdout).toMatch(
      /'--', '--api-sock', '\/run\/firecracker\.socket', '--log-path', '\/var\/log\/vm-1\.log', '--level', 'Debug', '--enable-pci' \] $/u,
    );
  },

  'packages/vmm-core/README.md § Command modifiers': async (example, { block }) => {
    // It continues the arguments' example, whose `vmm` it wraps.
    const code = `${block('packages/vmm-core/README.md § Firecracker and jailer arguments').code}${example.code}`;
    const stdout = oneLine(expectCompleted(example, await runExample(code)));
    expect(stdout).toMatch(
      /\{ binary: '\/usr\/sbin\/ip', args: \[ 'netns', 'exec', 'vm-1', '\/usr\/local\/bin\/firecracker', '--api-sock', '\/run\/firecracker\.socket', '--id', 'kindling-[0-9a-f]{16}',/u,
    );
  },

  'packages/vmm-core/README.md § Installation': async (example, { bin }) => {
    // verify() resolves only when all three binaries print their names and version 1.16.1.
    const code = substitute(example, binaries(bin));
    expect(expectCompleted(example, await runExample(code))).toBe('');
  },

  'packages/vmm-core/README.md § Resources': async (example, { folder, kernel }) => {
    const jails = path.join(folder, 'resources-jails');
    // A kernel of its own: linking hands the inode to the jail's user for a while.
    const kernelCopy = path.join(folder, 'resources-images', 'vmlinux');
    await mkdir(path.dirname(kernelCopy));
    await copyFile(kernel, kernelCopy);
    const code = substitute(example, [
      ['/srv/jailer/', `${jails}/`],
      ['/images/vmlinux', kernelCopy],
      ...ownIds('uid: 1000, gid: 100'),
    ]);
    expect(expectCompleted(example, await runExample(code))).toBe('/vmlinux\n');
    // Leaving the block disposed of the link, the FIFO and the folders made for them.
    expect(existsSync(jails)).toBe(false);
    expect((await stat(kernelCopy)).uid).toBe(process.getuid?.());
  },

  'packages/vmm-core/README.md § Firecracker API models': async (example, { folder, kernel }) => {
    const configFile = await writeConfigFile(folder, kernel, 'models-config.json');
    const code = substitute(example, [['/etc/vm-1.json', configFile]]);
    const stdout = expectThrew(
      example,
      await runExample(code),
      'ERR_INVALID_INPUT',
      'machineConfig.vcpu_count: must be 1 or an even number when smt is true (',
    );
    expect(stdout).toBe('');
  },

  'packages/executor/README.md § Usage': async (example, { folder, bin, kernel }) => {
    const socket = path.join(folder, 'executor-vm-1.sock');
    const configFile = await writeConfigFile(folder, kernel, 'executor-vm-1.json');
    const code = substitute(example, [
      ...binaries(bin),
      ['/tmp/vm-1.sock', socket],
      ['/etc/vm-1.json', configFile],
    ]);
    const stdout = expectCompleted(example, await runExample(code));
    expect(stdout).toBe("{ kind: 'signaled', signal: 'SIGKILL' }\n");
    expect(existsSync(socket)).toBe(false);
  },

  'packages/executor/README.md § Usage (2)': async (example, { folder, bin, kernel }) => {
    const base = path.join(folder, 'executor-jails');
    const kernelCopy = path.join(folder, 'executor-images', 'vmlinux');
    await mkdir(path.dirname(kernelCopy));
    await copyFile(kernel, kernelCopy);
    const code = substitute(example, [
      ...binaries(bin),
      ['/srv/jailer', base],
      ['/images/vmlinux', kernelCopy],
      ...ownIds('uid: 1000, gid: 1000', 'uid: 1000,\n    gid: 1000,'),
      patient.bound('timeoutMs: 5_000'),
    ]);
    const stdout = expectCompleted(example, await runExample(code));
    expect(stdout).toBe(
      `/vmlinux\n${base}/firecracker/vm-1/root/run/firecracker.socket\n{ kind: 'unknown' }\n`,
    );
    // The jail went, and with it the folders Kindling made for it; the kernel is the user's again.
    expect(existsSync(base)).toBe(false);
    expect((await stat(kernelCopy)).uid).toBe(process.getuid?.());
  },
};
