// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import type { Problem } from '../check.ts';
import { type ReleaseManifest, workspaceClosure } from './graph.ts';
import { checkTarball, type TarballReport } from './hygiene.ts';
import { installAlone, type InstallResult, nameOf } from './installs.ts';
import { mapLimit } from './pool.ts';
import { PROGRAM_MARKER, runUserProgram } from './program.ts';

/** What users get from the first release: the tarballs, each install alone, and a program. */
export interface UserChecks {
  readonly tarballs: readonly TarballReport[];
  readonly installs: readonly (InstallResult & { readonly expected: readonly string[] })[];
  readonly program: string;
  readonly problems: readonly Problem[];
}

/** Where the user checks run. */
export interface UserCheckOptions {
  readonly registryUrl: string;
  /** The public packages, and the manifests of the whole workspace as released. */
  readonly names: readonly string[];
  readonly manifests: readonly ReleaseManifest[];
  /** npm's settings for folders that know only the local registry. */
  readonly env: Readonly<Record<string, string>>;
  readonly tmp: string;
  readonly signal: AbortSignal;
  readonly time: (step: string) => void;
}

// Two cores: two installs or tarball checks at a time.
const PARALLEL = 2;
const INSTALLED: ReadonlySet<string> = new Set(['@kindling/vm', '@kindling/vmm-core']);

/** Checks every tarball, installs every public package alone, and runs a user's program. */
export const checkAsUsers = async (options: UserCheckOptions): Promise<UserChecks> => {
  const { names, manifests, tmp, signal } = options;
  // Nothing is published while these installs run: npm may trust the metadata it has cached.
  const env = { ...options.env, npm_config_prefer_offline: 'true' };
  const versionOf = new Map(manifests.map((manifest) => [manifest.name, manifest.version]));
  const tarballs = await mapLimit(names, PARALLEL, (name) =>
    checkTarball(
      options.registryUrl,
      name,
      versionOf.get(name) ?? '',
      path.join(tmp, 'tarballs'),
      signal,
    ),
  );
  const problems: Problem[] = tarballs.flatMap((tarball) =>
    tarball.problems.map((message) => ({ file: tarball.spec, message })),
  );
  options.time('tarball checks: files, metadata, publint, attw');
  // The layers the issue names are installed for real; every other package is resolved by npm
  // into the same tree, without the download, to keep the check within its time budget.
  const installs = await mapLimit(names, PARALLEL, async (name) => ({
    ...(await installAlone(
      path.join(tmp, 'users', name),
      [name],
      env,
      signal,
      !INSTALLED.has(name),
    )),
    expected: workspaceClosure(name, manifests),
  }));
  for (const install of installs) {
    const pulled = install.packages.filter((spec) => spec.startsWith('@kindling/')).map(nameOf);
    if (pulled.join(',') !== install.expected.join(',')) {
      problems.push({
        file: install.specs.join(' '),
        message: `npm install pulled ${pulled.join(', ')}; the layers it needs are ${install.expected.join(', ')}`,
      });
    }
  }
  options.time('npm install of each public package alone');
  const programDir = path.join(tmp, 'users', 'program');
  await installAlone(
    programDir,
    ['@kindling/vm', '@kindling/vmm-core', '@kindling/fake-vmm'],
    env,
    signal,
  );
  const program = await runUserProgram(programDir, signal).then(({ output }) => output, String);
  if (!program.includes(PROGRAM_MARKER)) {
    problems.push({
      file: 'xtask/src/release/program.ts',
      message: `the user's program did not print "${PROGRAM_MARKER}": ${program}`,
    });
  }
  options.time("a user's program on @kindling/vm and fake-vmm");
  return { tarballs, installs, program, problems };
};
