// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { installedPackages, nameOf } from './installs.ts';
import type { Packument } from './registry.ts';
import { checkRegistryChanges, expectedReleases } from './second-release.ts';

const packument = (
  versions: string[],
  ranges: Record<string, string> = {},
  peers: Record<string, string> = {},
): Packument => ({
  'dist-tags': { latest: versions.at(-1) ?? '' },
  versions: Object.fromEntries(
    versions.map((version) => [
      version,
      { dependencies: ranges, peerDependencies: peers, dist: { tarball: `t-${version}` } },
    ]),
  ),
});

const BEFORE = [
  { name: '@kindling/vmm-core', packument: packument(['0.1.0']) },
  { name: '@kindling/vm', packument: packument(['0.1.0'], { '@kindling/vmm-core': '^0.1.0' }) },
  {
    name: '@kindling/ext-metrics',
    packument: packument(
      ['0.1.0'],
      {},
      { '@kindling/vm': '^0.1.0', '@kindling/vmm-core': '^0.1.0' },
    ),
  },
  {
    name: '@kindling/ext-network',
    packument: packument(['0.1.0'], {}, { '@kindling/vm': '^0.1.0' }),
  },
];

describe('expectedReleases', () => {
  it('releases a patch alone when every published range still holds it', () => {
    const { names, problems } = expectedReleases(
      new Map([['@kindling/vmm-core', '0.1.1']]),
      BEFORE,
    );
    expect(names).toEqual(['@kindling/vmm-core']);
    expect(problems).toEqual([]);
  });

  it('releases each dependent and peer dependent whose range it leaves, and no further', () => {
    // vm is forced to 0.1.1, which ext-network's peer range ^0.1.0 still holds.
    const { names } = expectedReleases(new Map([['@kindling/vmm-core', '0.2.0']]), BEFORE);
    expect(names).toEqual(['@kindling/ext-metrics', '@kindling/vm', '@kindling/vmm-core']);
  });
});

describe('checkRegistryChanges', () => {
  it('passes one new latest version for each expected package, and none for the others', () => {
    const changes = [
      { name: 'a', before: packument(['0.1.0']), after: packument(['0.1.0', '0.1.1']) },
      { name: 'b', before: packument(['0.1.0']), after: packument(['0.1.0']) },
    ];
    expect(checkRegistryChanges(changes, ['a'])).toEqual([]);
  });

  it('names a package released though nothing forced it, and one expected but not released', () => {
    const changes = [
      { name: 'a', before: packument(['0.1.0']), after: packument(['0.1.0']) },
      { name: 'b', before: packument(['0.1.0']), after: packument(['0.1.0', '0.1.1']) },
    ];
    expect(checkRegistryChanges(changes, ['a']).map((problem) => problem.message)).toEqual([
      'expected one new latest version, got none',
      'released 0.1.1 though nothing forced it',
    ]);
  });
});

describe('installedPackages', () => {
  it("lists every package of npm's lockfile once, nested or not, and not the folder itself", () => {
    const lock = {
      packages: {
        '': { version: '1.0.0' },
        'node_modules/@kindling/vm': { version: '0.1.0' },
        'node_modules/@kindling/vm/node_modules/@kindling/vmm-core': { version: '0.1.1' },
        'node_modules/@kindling/vmm-core': { version: '0.1.1' },
        'node_modules/zod': { version: '4.6.7' },
      },
    };
    const packages = installedPackages(lock);
    expect(packages).toEqual(['@kindling/vm@0.1.0', '@kindling/vmm-core@0.1.1', 'zod@4.6.7']);
    expect(packages.map(nameOf)).toEqual(['@kindling/vm', '@kindling/vmm-core', 'zod']);
  });
});
