// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Problem } from '../check.ts';
import { satisfies } from './graph.ts';
import type { Packument } from './registry.ts';

/** A package's published document before and after the second release. */
export interface RegistryChange {
  readonly name: string;
  readonly before: Packument;
  readonly after: Packument;
}

const latest = (packument: Packument): string => packument['dist-tags']['latest'] ?? '';

const nextPatch = (version: string): string => {
  const [major, minor, patch] = version.split('.').map(Number);
  return `${major}.${minor}.${(patch ?? 0) + 1}`;
};

/**
 * The packages a release of `bumped` (name → new version) must publish: those, and every package
 * whose published range on one of them (dependency or peer) no longer holds the new version, and
 * so on up. Ranges are read from the registry: what users really resolve.
 */
export const expectedReleases = (
  bumped: ReadonlyMap<string, string>,
  before: readonly { readonly name: string; readonly packument: Packument }[],
): { names: string[]; problems: Problem[] } => {
  const releases = new Map(bumped);
  const problems: Problem[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const { name, packument } of before) {
      const current = packument.versions[latest(packument)];
      const ranges = { ...current?.dependencies, ...current?.peerDependencies };
      for (const [dependency, range] of Object.entries(ranges)) {
        const newVersion = releases.get(dependency);
        if (newVersion === undefined || releases.has(name)) {
          continue;
        }
        const holds = satisfies(newVersion, range);
        if (holds === undefined) {
          problems.push({
            file: name,
            message: `range "${range}" on ${dependency}: not understood`,
          });
        } else if (!holds) {
          // changesets releases a dependent it is forced to update as a patch.
          releases.set(name, nextPatch(latest(packument)));
          grew = true;
        }
      }
    }
  }
  return { names: [...releases.keys()].toSorted(), problems };
};

/**
 * Compares the registry before and after the second release: the packages expected to be
 * released got exactly one new version, made `latest`; every other package kept its versions.
 */
export const checkRegistryChanges = (
  changes: readonly RegistryChange[],
  expected: readonly string[],
): Problem[] =>
  changes.flatMap(({ name, before, after }): Problem[] => {
    const old = Object.keys(before.versions);
    const now = Object.keys(after.versions);
    const added = now.filter((version) => !old.includes(version));
    const kept = old.every((version) => now.includes(version));
    if (!kept) {
      return [
        { file: name, message: `lost a version: had ${old.join(', ')}, now ${now.join(', ')}` },
      ];
    }
    if (!expected.includes(name)) {
      return added.length === 0 && latest(after) === latest(before)
        ? []
        : [{ file: name, message: `released ${added.join(', ')} though nothing forced it` }];
    }
    return added.length === 1 && latest(after) === added[0]
      ? []
      : [
          {
            file: name,
            message: `expected one new latest version, got ${added.join(', ') || 'none'}`,
          },
        ];
  });
