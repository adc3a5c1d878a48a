// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import type { Problem } from '../check.ts';
import { resolveTool } from '../run-tool.ts';
import { copyRepository, readManifests, versionAndPublish } from './copy.ts';
import { publicNames } from './graph.ts';
import { installAlone, nameOf, npmEnv } from './installs.ts';
import { releasePatch } from './patch-release.ts';
import { startRegistry } from './registry.ts';
import type { ReleaseReport } from './report.ts';
import { checkAsUsers } from './user-checks.ts';

/** Where the release check runs. */
export interface ReleaseRunOptions {
  readonly root: string;
  /** A throw-away folder the run fills (the copy, the registry, the users' folders). */
  readonly tmp: string;
  /** The registry npm is configured with: verdaccio's uplink for third-party packages. */
  readonly upstream: string;
  readonly signal: AbortSignal;
  readonly output: NodeJS.WritableStream;
}

const PATCHED = '@kindling/vmm-core';
const OLD = '@kindling/vm';

/** The whole release check; problems are collected, not thrown, so the report is always whole. */
export const releaseRun = async (options: ReleaseRunOptions): Promise<ReleaseReport> => {
  const { tmp, signal } = options;
  const timings: [string, number][] = [];
  const started = performance.now();
  let mark = started;
  const time = (step: string): void => {
    const now = performance.now();
    timings.push([step, Math.round(now - mark)]);
    options.output.write(`release-check: ${step} (${Math.round(now - mark)} ms)\n`);
    mark = now;
  };
  const copy = await copyRepository(options.root, path.join(tmp, 'repo'), signal);
  try {
    time('checkout, offline install and build of HEAD');
    const registry = await startRegistry({
      bin: resolveTool('verdaccio'),
      dir: path.join(tmp, 'registry'),
      upstream: options.upstream,
      timeoutMs: 60_000,
    });
    try {
      time('verdaccio started');
      const names = publicNames(await readManifests(copy.dir));
      const firstRelease = await versionAndPublish(copy.dir, registry, signal);
      time('first release: changeset version, pnpm publish -r');
      const problems: Problem[] =
        firstRelease.map(nameOf).join(',') === names.join(',')
          ? []
          : [
              {
                file: '.changeset',
                message: `the first release published ${firstRelease.join(', ')}; the public packages are ${names.join(', ')}`,
              },
            ];
      const manifests = await readManifests(copy.dir);
      const env = npmEnv(registry.url, path.join(tmp, 'npm'));
      const users = await checkAsUsers({
        registryUrl: registry.url,
        names,
        manifests,
        env,
        tmp,
        signal,
        time,
      });
      const patch = await releasePatch(copy.dir, registry, names, PATCHED, signal);
      time(`second release: a ${PATCHED} patch`);
      const oldSpec = `${OLD}@${manifests.find((manifest) => manifest.name === OLD)?.version ?? ''}`;
      const oldInstall = await installAlone(path.join(tmp, 'users', 'old'), [oldSpec], env, signal);
      time(`npm install of the first ${OLD}`);
      timings.push(['total', Math.round(performance.now() - started)]);
      return {
        timings,
        firstRelease,
        tarballs: users.tarballs,
        installs: users.installs,
        program: users.program,
        secondRelease: patch.published,
        registryVersions: patch.registryVersions,
        oldInstall,
        problems: [
          ...problems,
          ...users.problems,
          ...patch.problems,
          ...(oldInstall.packages.includes(oldSpec)
            ? []
            : [{ file: oldSpec, message: `npm install ${oldSpec} did not install it` }]),
        ],
      };
    } finally {
      await registry.stop();
    }
  } finally {
    await copy.remove();
  }
};
