// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_WAIT_MS, TEST_WAIT_MS } from '@kindling/test-utils';
import { expect } from 'vitest';
import type { ReadmeBlock } from './readme-blocks.ts';

// Run where a user's program would import the packages from: this package resolves itself and
// its dependencies by name.
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** The fake binaries, where the examples name Firecracker's. */
export interface FakeBinaries {
  readonly firecrackerPath: string;
  readonly jailerPath: string;
  readonly snapshotEditorPath: string;
}

/** What every run shares: a temporary folder, the fakes, a kernel, the other blocks. */
export interface ReadmeRunFixture {
  readonly folder: string;
  readonly bin: FakeBinaries;
  readonly kernel: string;
  /** Another README block, for an example that continues it. */
  readonly block: (id: string) => ReadmeBlock;
}

/** The examples that run, by block id, each with what its comments say it prints and does. */
export type ReadmeRuns = Record<
  string,
  (example: ReadmeBlock, fixture: ReadmeRunFixture) => Promise<void>
>;

/** The paths of the binaries the examples name, and the fakes' in their place. */
export const binaries = (bin: FakeBinaries): [string, string][] => [
  ['/usr/local/bin/firecracker', bin.firecrackerPath],
  ['/usr/local/bin/jailer', bin.jailerPath],
  ['/usr/local/bin/snapshot-editor', bin.snapshotEditorPath],
];

/** Writes a config file Firecracker boots from, for the examples that name one. */
export const writeConfigFile = async (
  folder: string,
  kernel: string,
  name: string,
): Promise<string> => {
  const file = path.join(folder, name);
  await writeFile(
    file,
    JSON.stringify({
      'boot-source': { kernel_image_path: kernel, boot_args: 'console=ttyS0 reboot=k' },
      'machine-config': { vcpu_count: 1, mem_size_mib: 128 },
      drives: [],
    }),
  );
  return file;
};

/**
 * The fake Firecracker is a Node program: on a busy machine it starts far slower than the real
 * binary that the examples' short bounds are meant for (a 5 s socket wait, a 5 s abort). These
 * replacements give such a bound of an example the tests' own, TEST_WAIT_MS, and change nothing
 * else.
 */
export const patient = {
  /** `await <vm>.start();`, whose socket wait is 5 s by default. */
  start: (vm: string): [string, string] => [
    `await ${vm}.start();`,
    `await ${vm}.start({ socketWaitTimeoutMs: ${TEST_WAIT_MS} });`,
  ],
  /** `await <vmm>.invoke();`, whose socket wait is 5 s by default. */
  invoke: (vmm: string): [string, string] => [
    `await ${vmm}.invoke();`,
    `await ${vmm}.invoke({ socketWaitTimeoutMs: ${TEST_WAIT_MS} });`,
  ],
  /** A bound of 5 s the example writes down, e.g. `AbortSignal.timeout(5_000)`. */
  bound: (text: string): [string, string] => [text, text.replace('5_000', String(TEST_WAIT_MS))],
  /** `startFakeFirecracker({`, whose socket wait is 5 s by default. */
  fake: (): [string, string] => [
    'startFakeFirecracker({',
    `startFakeFirecracker({ socketTimeoutMs: ${TEST_WAIT_MS},`,
  ],
};

/** How a README example ended. */
export interface ExampleOutcome {
  /** The exit code; 0 when the example ran to its end. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The block with the paths a user would edit replaced by the test's, each of which must be in the
 * block: an example that no longer names one must not run against the machine's own files.
 */
export const substitute = (
  block: ReadmeBlock,
  replacements: readonly (readonly [string, string])[],
): string => {
  let code = block.code;
  for (const [from, to] of replacements) {
    expect(code.includes(from), `${block.id} (line ${block.line}) no longer names ${from}`).toBe(
      true,
    );
    code = code.replaceAll(from, to);
  }
  return code;
};

/**
 * Runs TypeScript as `node --input-type=module-typescript` does (Node strips the types), to its
 * end or its first uncaught error, within EXAMPLE_WAIT_MS.
 */
export const runExample = (
  code: string,
  options: { readonly env?: NodeJS.ProcessEnv } = {},
): Promise<ExampleOutcome> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module-typescript', '--eval', code],
      { cwd: packageDir, timeout: EXAMPLE_WAIT_MS, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({
          code: exitCode,
          stdout,
          stderr: error?.killed === true ? `(timed out)\n${stderr}` : stderr,
        });
      },
    );
  });

/** Expects the example to have run to its end, and shows what it wrote when it did not. */
export const expectCompleted = (block: ReadmeBlock, outcome: ExampleOutcome): string => {
  expect(
    outcome.code,
    `${block.id} (line ${block.line}) failed:\n${outcome.stderr}\nstdout:\n${outcome.stdout}`,
  ).toBe(0);
  return outcome.stdout;
};

/** Expects the example to have ended with an uncaught error showing `code` and `message`. */
export const expectThrew = (
  block: ReadmeBlock,
  outcome: ExampleOutcome,
  code: string,
  message: string,
): string => {
  const shown = `${block.id} (line ${block.line}) was to throw ${code}: ${message}; it exited ${outcome.code}:\n${outcome.stderr}`;
  expect(outcome.code, shown).toBe(1);
  expect(outcome.stderr, shown).toContain(`code: '${code}'`);
  expect(outcome.stderr, shown).toContain(message);
  return outcome.stdout;
};

/** Output with every run of white space made one space, to compare what `console.log` laid out. */
export const oneLine = (text: string): string => text.replaceAll(/\s+/gu, ' ');
