// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { publicNames, type ReleaseManifest, satisfies, workspaceClosure } from './graph.ts';

const MANIFESTS: ReleaseManifest[] = [
  { name: '@kindling/spawner', version: '0.1.0', dependencies: { execa: '^10.0.0' } },
  { name: '@kindling/vmm-core', version: '0.1.0', dependencies: { '@kindling/spawner': '^0.1.0' } },
  {
    name: '@kindling/vm',
    version: '0.1.0',
    dependencies: { '@kindling/vmm-core': '^0.1.0', undici: '^8.0.0' },
  },
  {
    name: '@kindling/ext-metrics',
    version: '0.1.0',
    peerDependencies: { '@kindling/vm': '^0.1.0', '@kindling/ext-network': '^0.1.0' },
    peerDependenciesMeta: { '@kindling/ext-network': { optional: true } },
  },
  { name: '@kindling/ext-network', version: '0.1.0' },
  { name: '@kindling/helpers', version: '0.0.0', private: true },
];

describe('workspaceClosure', () => {
  it('holds the package and every workspace package below it, and no third-party one', () => {
    expect(workspaceClosure('@kindling/vm', MANIFESTS)).toEqual([
      '@kindling/spawner',
      '@kindling/vm',
      '@kindling/vmm-core',
    ]);
  });

  it('follows required peers, as npm installs them, and skips optional ones', () => {
    expect(workspaceClosure('@kindling/ext-metrics', MANIFESTS)).toEqual([
      '@kindling/ext-metrics',
      '@kindling/spawner',
      '@kindling/vm',
      '@kindling/vmm-core',
    ]);
  });

  it('reaches nothing above the package', () => {
    expect(workspaceClosure('@kindling/vmm-core', MANIFESTS)).toEqual([
      '@kindling/spawner',
      '@kindling/vmm-core',
    ]);
  });
});

describe('publicNames', () => {
  it('leaves the private packages out', () => {
    expect(publicNames(MANIFESTS)).not.toContain('@kindling/helpers');
    expect(publicNames(MANIFESTS)).toHaveLength(5);
  });
});

describe('satisfies', () => {
  it.each([
    ['0.1.1', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['0.0.2', '^0.0.1', false],
    ['1.4.0', '^1.2.3', true],
    ['2.0.0', '^1.2.3', false],
    ['1.2.2', '^1.2.3', false],
    ['1.2.3', '1.2.3', true],
    ['1.2.4', '1.2.3', false],
  ])('%s against %s is %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('refuses to guess on a range shape it does not know', () => {
    expect(satisfies('1.2.3', '>=1.0.0 <2.0.0')).toBeUndefined();
  });
});
