// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { quoteShellWord } from '@kindling/spawner';
import { type FakeBinName, fakeBinExists, resolveFakeBin } from '../package-paths.js';
import { FakeVmmError } from '../firecracker/errors.js';

/**
 * A folder holding `firecracker`, `jailer` and `snapshot-editor` that run the fakes. Its
 * enumerable keys are exactly the three paths `VmmInstallation` takes, so
 * `new VmmInstallation(await createFakeInstallation(dir))` works; `dir` is not enumerable
 * (a spread copies only the paths).
 */
export interface FakeInstallation {
  readonly dir: string;
  readonly firecrackerPath: string;
  readonly jailerPath: string;
  readonly snapshotEditorPath: string;
}

/** What to put in the installation's wrappers. */
export interface FakeInstallationOptions {
  /**
   * Variables every wrapper exports before it runs its fake, e.g. from `buildFakeEnv`: the
   * `KINDLING_FAKE_*` switches then apply to every process started from this installation.
   */
  readonly env?: Readonly<Record<string, string>>;
}

const WRAPPERS: readonly (readonly [file: string, bin: FakeBinName])[] = [
  ['firecracker', 'fake-firecracker'],
  ['jailer', 'fake-jailer'],
  ['snapshot-editor', 'fake-snapshot-editor'],
];

const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/u;

const wrapperScript = (bin: FakeBinName, env: Readonly<Record<string, string>>): string => {
  const exports = Object.entries(env).map(
    ([name, value]) => `export ${name}=${quoteShellWord(value)}\n`,
  );
  // exec keeps the shell's pid, so the pid a caller spawned is the fake's own.
  const run = `exec ${quoteShellWord(process.execPath)} ${quoteShellWord(resolveFakeBin(bin))} "$@"\n`;
  return `#!/bin/sh\n${exports.join('')}${run}`;
};

/**
 * Writes executable `firecracker`, `jailer` and `snapshot-editor` wrappers into `dir` (created if
 * missing) that run the fake binaries with this Node's absolute path: a `VmmInstallation` or the
 * jailer's `--exec-file` can use them where they would use the real ones.
 */
export const createFakeInstallation = async (
  dir: string,
  options: FakeInstallationOptions = {},
): Promise<FakeInstallation> => {
  for (const [, bin] of WRAPPERS) {
    if (!fakeBinExists(bin)) {
      throw new FakeVmmError(
        'ERR_FAKE_NOT_BUILT',
        `${resolveFakeBin(bin)} does not exist: build @kindling/fake-vmm first (pnpm --filter @kindling/fake-vmm build)`,
      );
    }
  }
  const env = options.env ?? {};
  for (const name of Object.keys(env)) {
    if (!VARIABLE_NAME.test(name)) {
      throw new FakeVmmError(
        'ERR_FAKE_INVALID_OPTIONS',
        `options.env: ${JSON.stringify(name)} is not a shell variable name; use upper-case letters, digits and _`,
      );
    }
  }
  const absolute = path.resolve(dir);
  await mkdir(absolute, { recursive: true });
  for (const [file, bin] of WRAPPERS) {
    const target = path.join(absolute, file);
    await writeFile(target, wrapperScript(bin, env));
    await chmod(target, 0o755);
  }
  const paths = {
    firecrackerPath: path.join(absolute, 'firecracker'),
    jailerPath: path.join(absolute, 'jailer'),
    snapshotEditorPath: path.join(absolute, 'snapshot-editor'),
  };
  // Not enumerable: VmmInstallation's strict schema refuses keys it does not know.
  return Object.defineProperty(paths, 'dir', {
    value: absolute,
    enumerable: false,
  }) as FakeInstallation;
};
