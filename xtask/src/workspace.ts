// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The fields of a package.json that the checks read. */
export interface PackageManifest {
  readonly name?: string;
  readonly private?: boolean;
  readonly type?: string;
  readonly exports?: unknown;
  readonly files?: unknown;
  readonly sideEffects?: unknown;
  readonly engines?: { readonly node?: string };
  readonly license?: string;
  readonly repository?: { readonly directory?: string } | string;
  readonly publishConfig?: { readonly access?: string };
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

/** A workspace package: its folder relative to the root, and its manifest. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly manifest: PackageManifest;
}

/** Finds the repository root: the nearest folder above `from` holding pnpm-workspace.yaml. */
export const findRoot = (from: string): string => {
  let dir = path.resolve(from);
  while (!existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no pnpm-workspace.yaml above ${from}: run xtask inside the repository`);
    }
    dir = parent;
  }
  return dir;
};

/** Workspace packages outside `packages/`: the runnable examples, a user's view of the packages. */
export const ROOT_PACKAGE_DIRS = ['examples'] as const;

/** Reads every package under `packages/`, sorted by folder, then those of `ROOT_PACKAGE_DIRS`. */
export const readPackages = async (root: string): Promise<WorkspacePackage[]> => {
  let names: string[];
  try {
    names = await readdir(path.join(root, 'packages'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
    names = [];
  }
  const packages: WorkspacePackage[] = [];
  for (const dir of [...names.toSorted().map((name) => `packages/${name}`), ...ROOT_PACKAGE_DIRS]) {
    const manifestPath = path.join(root, dir, 'package.json');
    if (!existsSync(manifestPath)) {
      continue;
    }
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as PackageManifest;
    packages.push({ dir, manifest });
  }
  return packages;
};
