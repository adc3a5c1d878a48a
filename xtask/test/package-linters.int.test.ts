// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publintProblems, typesProblems } from '../src/release/package-linters.ts';

const execFileAsync = promisify(execFile);

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-release-linters-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Writes `package/…` as npm lays a tarball out, packs it with tar, returns the folder and bytes.
const pack = async (
  manifest: Record<string, unknown>,
  files: Record<string, string>,
): Promise<{ root: string; tarball: Uint8Array }> => {
  const root = path.join(dir, 'package');
  await mkdir(path.join(root, 'dist'), { recursive: true });
  await writeFile(path.join(root, 'package.json'), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) {
    await writeFile(path.join(root, name), text);
  }
  await execFileAsync('tar', ['-czf', 'package.tgz', 'package'], { cwd: dir });
  return { root, tarball: new Uint8Array(await readFile(path.join(dir, 'package.tgz'))) };
};

const MANIFEST = {
  name: 'linted',
  version: '1.0.0',
  type: 'module',
  files: ['dist'],
  engines: { node: '>=22.19' },
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
};
const FILES = {
  'dist/index.js': 'export const answer = 42;\n',
  'dist/index.d.ts': 'export declare const answer: number;\n',
};

describe('the package linters on a tarball', () => {
  it('pass an ESM-only package whose exports map leads to its types', async () => {
    const { root, tarball } = await pack(MANIFEST, FILES);
    expect(await publintProblems(root)).toEqual([]);
    expect(await typesProblems(tarball)).toEqual([]);
  });

  it('name an exports map whose types come last and a types file that is not shipped', async () => {
    const { root, tarball } = await pack(
      {
        ...MANIFEST,
        exports: { '.': { import: './dist/index.js', types: './dist/missing.d.ts' } },
      },
      { 'dist/index.js': FILES['dist/index.js'] },
    );
    expect((await publintProblems(root)).join('\n')).toContain('publint:');
    expect(await typesProblems(tarball)).toEqual(['arethetypeswrong: the package ships no types']);
  });

  it('name types that masquerade as CommonJS for an ESM import', async () => {
    const { tarball } = await pack(
      {
        ...MANIFEST,
        exports: { '.': { types: './dist/index.d.cts', import: './dist/index.js' } },
      },
      { 'dist/index.js': FILES['dist/index.js'], 'dist/index.d.cts': FILES['dist/index.d.ts'] },
    );
    expect(await typesProblems(tarball)).toEqual([
      'arethetypeswrong: FalseCJS (typesFileName /node_modules/linted/dist/index.d.cts, implementationFileName /node_modules/linted/dist/index.js)',
    ]);
  });
});
