// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import type { Resource } from '@kindling/vmm-core';
import { ExecutorError } from './errors.js';
import type { JailPaths } from './jail-paths.js';
import { wrapStepFailure } from './step-failure.js';
import { resolveInJail, type VirtualPathResolver } from './virtual-path-resolver.js';

/** Where one resource goes: its host path inside the jail, and the path Firecracker is given. */
export interface JailTarget {
  readonly effectivePath: string;
  readonly virtualPath: string;
}

/** What `resolveJailTargets` places. */
export interface JailTargetRequest {
  readonly paths: JailPaths;
  /** The API socket's host path, or `undefined` under `--no-api`. */
  readonly socketPath: string | undefined;
  readonly resources: readonly Resource[];
  readonly resolveVirtualPath: VirtualPathResolver;
}

const resolveVirtual = (resolver: VirtualPathResolver, initialPath: string): string => {
  let virtualPath: unknown;
  try {
    virtualPath = resolver(initialPath);
  } catch (error) {
    throw wrapStepFailure('ERR_VIRTUAL_PATH', `place ${initialPath} in the jail`, error);
  }
  if (typeof virtualPath !== 'string') {
    throw new ExecutorError(
      'ERR_VIRTUAL_PATH',
      `resolveVirtualPath returned ${String(virtualPath)} for ${initialPath}: it must return an absolute path string`,
    );
  }
  return virtualPath;
};

/**
 * Works out where every uninitialised resource goes in the jail: a moved one at the path the
 * resolver gives, a created or produced one at its initial path taken inside the jail (that is
 * the path Firecracker is given). Two resources, or a resource and a file of the jailer, may not
 * share a path: that throws `ERR_VIRTUAL_PATH` before anything is written.
 */
export const resolveJailTargets = (request: JailTargetRequest): Map<Resource, JailTarget> => {
  const { rootDir, pidFile, execName } = request.paths;
  const taken = new Map<string, string>([
    [pidFile, "the jailer's pid file"],
    [path.join(rootDir, execName), "the jailer's copy of Firecracker"],
  ]);
  if (request.socketPath !== undefined) {
    taken.set(request.socketPath, 'the API socket');
  }
  const targets = new Map<Resource, JailTarget>();
  for (const resource of request.resources) {
    if (resource.state !== 'uninitialized') {
      continue;
    }
    const virtualPath =
      resource.type.kind === 'moved'
        ? resolveVirtual(request.resolveVirtualPath, resource.initialPath)
        : resource.initialPath;
    const effectivePath = resolveInJail(rootDir, virtualPath);
    const owner = taken.get(effectivePath);
    if (owner !== undefined) {
      throw new ExecutorError(
        'ERR_VIRTUAL_PATH',
        `The resource ${resource.initialPath} would land at ${virtualPath} in the jail, where ${owner} already is: give it another file name, or a resolveVirtualPath that keeps them apart`,
      );
    }
    taken.set(effectivePath, `the resource ${resource.initialPath}`);
    targets.set(resource, { effectivePath, virtualPath });
  }
  return targets;
};
