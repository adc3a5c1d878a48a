// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from './command.ts';
import { publintProblems, typesProblems } from './package-linters.ts';
import { readPackument } from './registry.ts';
import { mapProblem, metadataProblems, unwantedFiles } from './tarball-rules.ts';

/** What the hygiene checks found in one published tarball. */
export interface TarballReport {
  readonly spec: string;
  readonly files: readonly string[];
  readonly packedBytes: number;
  readonly unpackedBytes: number;
  /** How much of `unpackedBytes` is source maps (intended: see tarball-rules.ts). */
  readonly mapBytes: number;
  readonly problems: readonly string[];
}

const listFiles = async (dir: string, prefix = ''): Promise<string[]> => {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = `${prefix}${entry.name}`;
    files.push(
      ...(entry.isDirectory()
        ? await listFiles(path.join(dir, entry.name), `${relative}/`)
        : [relative]),
    );
  }
  return files.toSorted();
};

/**
 * Downloads the tarball users get for `name@version` from the local registry, unpacks it into
 * `dir`, and checks what it holds, its metadata, publint and arethetypeswrong.
 */
export const checkTarball = async (
  registryUrl: string,
  name: string,
  version: string,
  dir: string,
  signal: AbortSignal,
): Promise<TarballReport> => {
  const spec = `${name}@${version}`;
  const packument = await readPackument(registryUrl, name, 30_000);
  const dist = packument?.versions[version]?.dist;
  if (dist === undefined) {
    return {
      spec,
      files: [],
      packedBytes: 0,
      unpackedBytes: 0,
      mapBytes: 0,
      problems: ['not on the registry'],
    };
  }
  const response = await fetch(dist.tarball, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
  });
  const tarball = path.join(dir, `${name.replace('/', '-')}-${version}.tgz`);
  await mkdir(dir, { recursive: true });
  const tarballData = new Uint8Array(await response.arrayBuffer());
  await writeFile(tarball, tarballData);
  const unpacked = path.join(dir, `${name.replace('/', '-')}-${version}`);
  await mkdir(unpacked, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', unpacked], { cwd: dir, timeoutMs: 60_000, signal });
  const root = path.join(unpacked, 'package');
  const files = await listFiles(root);
  const problems = [...unwantedFiles(files)];
  let unpackedBytes = 0;
  let mapBytes = 0;
  for (const file of files) {
    const { size } = await stat(path.join(root, file));
    unpackedBytes += size;
    if (file.endsWith('.map')) {
      mapBytes += size;
      const problem = mapProblem(file, JSON.parse(await readFile(path.join(root, file), 'utf8')));
      problems.push(...(problem === undefined ? [] : [problem]));
    }
  }
  const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  problems.push(
    ...metadataProblems(manifest),
    ...(await publintProblems(root)),
    ...(await typesProblems(tarballData)),
  );
  return {
    spec,
    files,
    packedBytes: (await stat(tarball)).size,
    unpackedBytes,
    mapBytes,
    problems,
  };
};
