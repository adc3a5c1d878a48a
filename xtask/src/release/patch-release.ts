// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Problem } from '../check.ts';
import { readManifests, versionAndPublish, writeChangeset } from './copy.ts';
import { nameOf } from './installs.ts';
import { type Packument, readPackument } from './registry.ts';
import { checkRegistryChanges, expectedReleases } from './second-release.ts';

/** The second release: what it published, and each package's versions on the registry after. */
export interface PatchRelease {
  readonly published: readonly string[];
  readonly registryVersions: readonly (readonly [name: string, versions: readonly string[]])[];
  readonly problems: readonly Problem[];
}

const packuments = async (
  url: string,
  names: readonly string[],
): Promise<Map<string, Packument>> => {
  const found = new Map<string, Packument>();
  for (const name of names) {
    const packument = await readPackument(url, name, 30_000);
    if (packument !== undefined) {
      found.set(name, packument);
    }
  }
  return found;
};

/**
 * Adds a patch changeset on `patched` to the copy, versions and publishes again, and checks from
 * the registry's metadata that exactly `patched` and the packages whose published range it
 * leaves got a new version.
 */
export const releasePatch = async (
  copyDir: string,
  registry: { readonly url: string; readonly token: string },
  names: readonly string[],
  patched: string,
  signal: AbortSignal,
): Promise<PatchRelease> => {
  const before = await packuments(registry.url, names);
  await writeChangeset(
    copyDir,
    'release-check-patch',
    { [patched]: 'patch' },
    `Release check: a patch of ${patched} alone.`,
  );
  const published = await versionAndPublish(copyDir, registry, signal);
  const after = await packuments(registry.url, names);
  const newVersion =
    (await readManifests(copyDir)).find((manifest) => manifest.name === patched)?.version ?? '';
  const expected = expectedReleases(
    new Map([[patched, newVersion]]),
    [...before].map(([name, packument]) => ({ name, packument })),
  );
  const changes = names.flatMap((name) => {
    const old = before.get(name);
    const now = after.get(name);
    return old === undefined || now === undefined ? [] : [{ name, before: old, after: now }];
  });
  const publishedNames = published.map(nameOf);
  const problems: Problem[] = [
    ...expected.problems,
    ...checkRegistryChanges(changes, expected.names),
    ...(publishedNames.join(',') === expected.names.join(',')
      ? []
      : [
          {
            file: '.changeset/config.json',
            message: `the second release published ${published.join(', ')}; expected ${expected.names.join(', ')}`,
          },
        ]),
  ];
  return {
    published,
    registryVersions: names.map((name) => [name, Object.keys(after.get(name)?.versions ?? {})]),
    problems,
  };
};
