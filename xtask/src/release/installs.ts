// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from './command.ts';

/** The part of npm's `package-lock.json` (lockfile v3) the check reads. */
interface PackageLock {
  readonly packages?: Readonly<
    Record<string, { readonly version?: string; readonly link?: boolean }>
  >;
}

/**
 * Every package an install put in `node_modules`, as `name@version`, once each, sorted: read from
 * the lockfile npm writes, whose keys are the install paths (`node_modules/a/node_modules/b`).
 */
export const installedPackages = (lock: PackageLock): string[] => {
  const found = new Set<string>();
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    const at = key.lastIndexOf('node_modules/');
    if (at !== -1 && entry.version !== undefined) {
      found.add(`${key.slice(at + 'node_modules/'.length)}@${entry.version}`);
    }
  }
  return [...found].toSorted();
};

/** The name of a `name@version` (scoped names keep their leading `@`). */
export const nameOf = (spec: string): string => spec.slice(0, spec.lastIndexOf('@'));

/** What one install into an empty folder pulled. */
export interface InstallResult {
  readonly specs: readonly string[];
  readonly dir: string;
  /** Every installed package as `name@version`. */
  readonly packages: readonly string[];
  readonly ms: number;
  /** Resolved only (`--package-lock-only`): the same tree, without downloading the tarballs. */
  readonly resolvedOnly: boolean;
}

/** npm's settings for a folder that knows nothing but the local registry. */
export const npmEnv = (registryUrl: string, home: string): Record<string, string> => ({
  npm_config_registry: registryUrl,
  npm_config_userconfig: path.join(home, 'npmrc'),
  npm_config_cache: path.join(home, 'npm-cache'),
  npm_config_update_notifier: 'false',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
});

/**
 * In a new, empty folder with only Node and npm, `npm install <specs>` from the local registry,
 * then reads back, from the lockfile npm writes, everything that landed in `node_modules` (or,
 * with `resolvedOnly`, would land there: npm resolves the same tree and stops before the
 * tarballs).
 */
export const installAlone = async (
  dir: string,
  specs: readonly string[],
  env: Readonly<Record<string, string>>,
  signal: AbortSignal,
  resolvedOnly = false,
): Promise<InstallResult> => {
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'release-check-user', private: true, type: 'module' })}\n`,
  );
  const started = performance.now();
  const flags = resolvedOnly ? ['--package-lock-only'] : [];
  await run('npm', ['install', ...flags, ...specs], {
    cwd: dir,
    env,
    timeoutMs: 180_000,
    signal,
  });
  const ms = Math.round(performance.now() - started);
  const lock = JSON.parse(
    await readFile(path.join(dir, 'package-lock.json'), 'utf8'),
  ) as PackageLock;
  return { specs, dir, packages: installedPackages(lock), ms, resolvedOnly };
};
