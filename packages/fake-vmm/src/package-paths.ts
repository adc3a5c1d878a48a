// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeVmmError } from './firecracker/errors.js';

/** The three executables the package ships, by their `bin` names. */
export type FakeBinName = 'fake-firecracker' | 'fake-jailer' | 'fake-snapshot-editor';

const PACKAGE_NAME = '@kindling/fake-vmm';

const isOwnManifest = (file: string): boolean => {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    // An unreadable or malformed package.json belongs to some other package: keep walking up.
    return false;
  }
};

let packageRoot: string | undefined;

/**
 * The folder of this package's `package.json`, found by walking up from this module: it works
 * both from the bundled `dist/` and from the sources under test.
 */
export const findPackageRoot = (): string => {
  if (packageRoot !== undefined) {
    return packageRoot;
  }
  let dir = import.meta.dirname;
  for (;;) {
    if (isOwnManifest(path.join(dir, 'package.json'))) {
      packageRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new FakeVmmError(
        'ERR_FAKE_NOT_BUILT',
        `Could not find the ${PACKAGE_NAME} package folder above ${import.meta.url}: is the package installed whole?`,
      );
    }
    dir = parent;
  }
};

/** The absolute path of a built executable (`dist/bin/<name>.js`), which may not exist yet. */
export const resolveFakeBin = (name: FakeBinName): string =>
  path.join(findPackageRoot(), 'dist', 'bin', `${name}.js`);

/** Whether the executables have been built. */
export const fakeBinExists = (name: FakeBinName): boolean => existsSync(resolveFakeBin(name));
