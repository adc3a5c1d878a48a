// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { createTempFolder } from './temp-folder.js';
import { TEST_WAIT_MS } from './test-wait.js';

/**
 * How long a README example may run: a whole lifecycle (boot, snapshot, restore, shutdown) of
 * Node-based fakes, on a machine running every package's tests at once. A bound, not a target.
 */
export const EXAMPLE_WAIT_MS = 3 * TEST_WAIT_MS;

/** A vitest timeout for a test that runs one example, with room for its own setup. */
export const EXAMPLE_TEST_MS = EXAMPLE_WAIT_MS + TEST_WAIT_MS;

/**
 * The first ```ts block of a README (after `heading`, a whole line such as `## Quick start`,
 * when given), as a user would copy it. Throws naming the README when there is none.
 */
export const readReadmeExample = async (readmePath: string, heading?: string): Promise<string> => {
  const text = `\n${await readFile(readmePath, 'utf8')}`;
  const start = heading === undefined ? 0 : text.indexOf(`\n${heading}\n`);
  if (start === -1) {
    throw new Error(`${readmePath} has no heading ${heading}`);
  }
  const code = /```ts\n(?<code>[\s\S]*?)```/u.exec(text.slice(start))?.groups?.['code'];
  if (code === undefined) {
    throw new Error(
      `${readmePath} has no ts block${heading === undefined ? '' : ` after ${heading}`}`,
    );
  }
  return code;
};

/** Where a test keeps what a README's example names at a user's paths. */
export interface ExamplePaths {
  readonly installation: {
    readonly firecrackerPath: string;
    readonly jailerPath: string;
    readonly snapshotEditorPath: string;
  };
  readonly kernelPath: string;
  /** Stands in for `/tmp` (a user's scratch files and sockets). */
  readonly tempDir: string;
}

/**
 * The example with the paths a user would edit swapped for the test's: the binaries under
 * `/usr/local/bin`, the kernel `/images/vmlinux`, and files under `/tmp`. `/tmp` goes first, since
 * the test's own paths are under the temporary folder. Throws when the example names none of them.
 */
export const substituteExamplePaths = (code: string, paths: ExamplePaths): string => {
  const { installation } = paths;
  const result = code
    .replaceAll("'/tmp/", `'${paths.tempDir}/`)
    .replaceAll('/usr/local/bin/firecracker', installation.firecrackerPath)
    .replaceAll('/usr/local/bin/jailer', installation.jailerPath)
    .replaceAll('/usr/local/bin/snapshot-editor', installation.snapshotEditorPath)
    .replaceAll('/images/vmlinux', paths.kernelPath);
  if (result === code) {
    throw new Error('the example names none of the paths a user edits: check the substitutions');
  }
  return result;
};

/** What `runTypeScriptExample` takes. */
export interface RunExampleOptions {
  /** Where the program runs: a package folder, so that `@kindling/*` resolve by name. */
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Default `EXAMPLE_WAIT_MS`; the program is killed then. */
  readonly timeoutMs?: number;
}

/**
 * Runs TypeScript as a user's program (`node --input-type=module-typescript`: Node strips the
 * types) and resolves with its standard output; rejects with its exit and standard error.
 */
export const runTypeScriptExample = (code: string, options: RunExampleOptions): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module-typescript', '--eval', code],
      {
        cwd: options.cwd,
        timeout: options.timeoutMs ?? EXAMPLE_WAIT_MS,
        env: { ...process.env, ...options.env },
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve(stdout);
          return;
        }
        const how = error.killed
          ? 'was killed at its time limit'
          : `failed (${String(error.code)})`;
        reject(
          new Error(`the example ${how}:\n${stderr}\n--- its output:\n${stdout}`, { cause: error }),
        );
      },
    );
  });

/** A temporary folder with the fakes and a kernel at the paths an example is given instead. */
export interface ExampleFixture extends AsyncDisposable {
  readonly dir: string;
  readonly paths: ExamplePaths;
}

/**
 * Makes what a README example needs to run against the fakes, in a new temporary folder: the
 * fake binaries (`fakeEnv`, e.g. from `buildFakeEnv`, is exported by each) and a fake kernel.
 */
export const createExampleFixture = async (
  prefix: string,
  options: { readonly fakeEnv?: Readonly<Record<string, string>> } = {},
): Promise<ExampleFixture> => {
  const folder = await createTempFolder(prefix);
  try {
    const installation = await createFakeInstallation(
      path.join(folder.path, 'bin'),
      options.fakeEnv === undefined ? {} : { env: options.fakeEnv },
    );
    const kernelPath = await writeFakeKernel(path.join(folder.path, 'vmlinux'));
    return {
      dir: folder.path,
      paths: { installation, kernelPath, tempDir: path.join(folder.path, 'tmp') },
      [Symbol.asyncDispose]: () => folder[Symbol.asyncDispose](),
    };
  } catch (error) {
    await folder[Symbol.asyncDispose]();
    throw error;
  }
};
