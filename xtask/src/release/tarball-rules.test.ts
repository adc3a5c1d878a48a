// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { mapProblem, metadataProblems, unwantedFiles } from './tarball-rules.ts';

describe('unwantedFiles', () => {
  it('passes what a package publishes', () => {
    expect(
      unwantedFiles([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/index.js',
        'dist/index.js.map',
        'dist/index.d.ts',
        'dist/bin/fake-firecracker.js',
      ]),
    ).toEqual([]);
  });

  it('names tests, fixtures, sources and build configs, with why', () => {
    expect(
      unwantedFiles([
        'dist/index.test.js',
        'test/boot.int.test.ts',
        'dist/fixtures/kernel.bin',
        'src/index.ts',
        'tsconfig.json',
        'bench/spawn.bench.ts',
      ]),
    ).toEqual([
      'dist/index.test.js: a test file',
      'test/boot.int.test.ts: a test or bench folder',
      'dist/fixtures/kernel.bin: a fixture',
      'src/index.ts: a source folder (the build is in dist/)',
      'tsconfig.json: a build config',
      'bench/spawn.bench.ts: a test or bench folder',
    ]);
  });
});

describe('mapProblem', () => {
  it('accepts a map that embeds every source', () => {
    expect(
      mapProblem('dist/index.js.map', { sources: ['../src/a.ts'], sourcesContent: ['x'] }),
    ).toBeUndefined();
  });

  it('names a map that points at sources the tarball does not hold', () => {
    expect(mapProblem('dist/index.js.map', { sources: ['../src/a.ts'] })).toBe(
      'dist/index.js.map: a source map without every source embedded',
    );
  });
});

const COMPLETE = {
  name: '@kindling/vm',
  license: 'Apache-2.0',
  repository: { type: 'git', url: 'git+https://example.invalid/k.git', directory: 'packages/vm' },
  files: ['dist'],
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
  engines: { node: '>=22.19' },
  publishConfig: { access: 'public' },
  dependencies: { '@kindling/vmm-core': '^0.1.0' },
};

describe('metadataProblems', () => {
  it('passes a provenance-ready manifest', () => {
    expect(metadataProblems(COMPLETE)).toEqual([]);
  });

  it('names each missing field and each range only the workspace understands', () => {
    const { repository: _repository, engines: _engines, ...rest } = COMPLETE;
    expect(
      metadataProblems({ ...rest, peerDependencies: { '@kindling/vm': 'workspace:^' } }),
    ).toEqual([
      'no "repository" with "url" and "directory"',
      'no "engines".node',
      'peerDependencies.@kindling/vm is "workspace:^": a range only the workspace understands',
    ]);
  });
});
