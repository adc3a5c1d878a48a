// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { CommandError, findExecutable, runCommand } from './commands.ts';

/** A Debian package at the version the builder uses. */
export interface DebianPackage {
  readonly name: string;
  readonly version: string;
}

/** What the builder needs on a host without Debian's tools, for its error messages. */
export const WITHOUT_APT_HINT =
  'The guest is built from Debian 12 (bookworm, amd64) packages. On a host without apt-get, ' +
  'download the .deb files named above from a Debian mirror (pool/main/…) into one folder and ' +
  'set KINDLING_GUEST_DEBS to it; dpkg-deb must still be installed (most distributions package ' +
  'it as "dpkg").';

const isRoot = process.getuid?.() === 0;

const showPackages = async (names: readonly string[]): Promise<string> => {
  try {
    return await runCommand('apt-cache', ['show', '--no-all-versions', ...names]);
  } catch (error) {
    if (!isRoot) {
      throw error;
    }
    // A fresh container has no package lists yet.
    await runCommand('apt-get', ['update', '-qq']);
    return runCommand('apt-cache', ['show', '--no-all-versions', ...names]);
  }
};

const field = (record: string, name: string): string | undefined =>
  new RegExp(`^${name}: (.*)$`, 'mu').exec(record)?.[1]?.trim();

/** The version apt would install of each package (its candidate), in one apt-cache call. */
export const resolvePackages = async (names: readonly string[]): Promise<DebianPackage[]> => {
  if (findExecutable('apt-cache') === undefined) {
    throw new Error(`apt-cache was not found. ${WITHOUT_APT_HINT}`);
  }
  const records = (await showPackages(names)).split(/\n\s*\n/u);
  return names.map((name) => {
    const record = records.find((candidate) => field(candidate, 'Package') === name);
    const version = record === undefined ? undefined : field(record, 'Version');
    if (version === undefined) {
      throw new Error(`apt-cache knows no package ${name}`);
    }
    return { name, version };
  });
};

/** The name of the package a metapackage depends on first (linux-image-cloud-amd64 → its kernel). */
export const resolveMetapackage = async (name: string): Promise<string> => {
  const depends = field(await showPackages([name]), 'Depends');
  const first = depends?.split(',')[0]?.trim().split(' ')[0];
  if (first === undefined || first === '') {
    throw new Error(`${name} depends on nothing: is it a metapackage?`);
  }
  return first;
};

const debFileName = (pkg: DebianPackage): string =>
  // apt writes an epoch's colon as %3a.
  `${pkg.name}_${pkg.version.replaceAll(':', '%3a')}_amd64.deb`;

/**
 * The .deb files of `packages` in `dir`, downloading those missing with `apt-get download`
 * (or taking them from KINDLING_GUEST_DEBS when set).
 */
export const downloadPackages = async (
  packages: readonly DebianPackage[],
  dir: string,
): Promise<string[]> => {
  await mkdir(dir, { recursive: true });
  const given = process.env.KINDLING_GUEST_DEBS;
  if (given !== undefined && given !== '') {
    const files = await readdir(given);
    return packages.map((pkg) => {
      const found = files.find((file) => file.startsWith(`${pkg.name}_`) && file.endsWith('.deb'));
      if (found === undefined) {
        throw new Error(`KINDLING_GUEST_DEBS (${given}) has no ${pkg.name}_*.deb`);
      }
      return path.join(given, found);
    });
  }
  const present = new Set(await readdir(dir));
  const missing = packages.filter((pkg) => !present.has(debFileName(pkg)));
  if (missing.length > 0) {
    if (findExecutable('apt-get') === undefined) {
      throw new Error(`apt-get was not found. ${WITHOUT_APT_HINT}`);
    }
    // As root, apt would drop to its _apt user, who cannot write here: stay root for a download.
    await runCommand(
      'apt-get',
      [
        'download',
        '-q',
        '-o',
        'APT::Sandbox::User=root',
        ...missing.map((p) => `${p.name}=${p.version}`),
      ],
      { cwd: dir },
    );
  }
  return packages.map((pkg) => path.join(dir, debFileName(pkg)));
};

/** Unpacks a .deb's files into `dir` (dpkg-deb -x: no install, no root). */
export const extractPackage = async (deb: string, dir: string): Promise<void> => {
  if (findExecutable('dpkg-deb') === undefined) {
    throw new CommandError(`dpkg-deb was not found. ${WITHOUT_APT_HINT}`);
  }
  await mkdir(dir, { recursive: true });
  await runCommand('dpkg-deb', ['-x', deb, dir]);
};
