// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { readPackages } from '../workspace.ts';
import { run } from './command.ts';
import type { ReleaseManifest } from './graph.ts';

/** A throw-away checkout of HEAD where `changeset version` and `pnpm publish` may write. */
export interface RepositoryCopy {
  readonly dir: string;
  readonly remove: () => Promise<void>;
}

const STEP_MS = 300_000;

/**
 * Checks HEAD out into `dir` as a detached git worktree (sharing the repository's turbo cache, so
 * the build of an unchanged HEAD is a cache hit), installs from pnpm's store (the network only for what it lacks),
 * and builds every package.
 */
export const copyRepository = async (
  root: string,
  dir: string,
  signal: AbortSignal,
): Promise<RepositoryCopy> => {
  await run('git', ['worktree', 'add', '--detach', '--quiet', dir, 'HEAD'], {
    cwd: root,
    timeoutMs: STEP_MS,
    signal,
  });
  const remove = async (): Promise<void> => {
    await run('git', ['worktree', 'remove', '--force', dir], { cwd: root, timeoutMs: STEP_MS });
  };
  try {
    await run('pnpm', ['install', '--prefer-offline', '--frozen-lockfile'], {
      cwd: dir,
      timeoutMs: STEP_MS,
      signal,
    });
    await run(
      process.execPath,
      [path.join('tooling', 'turbo.ts'), 'run', 'build', '--output-logs=errors-only'],
      { cwd: dir, timeoutMs: STEP_MS, signal },
    );
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
};

/** The manifests of the copy's workspace packages (names, versions, dependencies). */
export const readManifests = async (dir: string): Promise<ReleaseManifest[]> =>
  (await readPackages(dir))
    .filter((pkg) => typeof pkg.manifest.name === 'string')
    .map((pkg) => pkg.manifest as unknown as ReleaseManifest);

/** Writes a changeset into the copy: `bumps` maps package names to patch, minor or major. */
export const writeChangeset = async (
  dir: string,
  id: string,
  bumps: Readonly<Record<string, 'patch' | 'minor' | 'major'>>,
  summary: string,
): Promise<void> => {
  const lines = Object.entries(bumps).map(([name, bump]) => `'${name}': ${bump}`);
  await writeFile(
    path.join(dir, '.changeset', `${id}.md`),
    `---\n${lines.join('\n')}\n---\n\n${summary}\n`,
  );
};

/** Versions the copy (`changeset version`) and publishes what is new (`pnpm publish -r`). */
export const versionAndPublish = async (
  dir: string,
  registry: { readonly url: string; readonly token: string },
  signal: AbortSignal,
): Promise<string[]> => {
  const host = registry.url.replace(/^https?:/u, '');
  await writeFile(path.join(dir, '.npmrc'), `${host}:_authToken=${registry.token}\n`);
  await run('pnpm', ['run', 'release:version'], { cwd: dir, timeoutMs: STEP_MS, signal });
  const summary = path.join(dir, 'pnpm-publish-summary.json');
  await run(
    'pnpm',
    ['publish', '-r', '--no-git-checks', '--report-summary', '--registry', registry.url],
    { cwd: dir, timeoutMs: STEP_MS, signal },
  );
  const published = JSON.parse(await readFile(summary, 'utf8')) as {
    publishedPackages: { name: string; version: string }[];
  };
  return published.publishedPackages.map(({ name, version }) => `${name}@${version}`).toSorted();
};
