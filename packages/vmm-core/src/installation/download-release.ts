// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';
import { CleanupStack } from './cleanup-stack.js';
import { type DownloadProgress, fetchChecksum, fetchToFile } from './release-http.js';
import { firecrackerVersionSchema } from './release-version.js';
import { unpackBinaries } from './unpack-binaries.js';

/** Where Firecracker publishes its release assets: `<base>/v<version>/<asset>`. */
export const OFFICIAL_RELEASES_URL =
  'https://github.com/firecracker-microvm/firecracker/releases/download';

export type { DownloadProgress } from './release-http.js';

/** The CPU architectures Firecracker publishes builds for. */
export type ReleaseArch = 'x86_64' | 'aarch64';

const DEFAULT_DOWNLOAD_TIMEOUT_MS = 600_000;
// github.com answers asset URLs with a redirect to its object storage.
const MAX_REDIRECTIONS = 5;

const findReleaseArch = (nodeArch: string): ReleaseArch | undefined => {
  switch (nodeArch) {
    case 'x64':
      return 'x86_64';
    case 'arm64':
      return 'aarch64';
    default:
      return undefined;
  }
};

const isFunction = (value: unknown): boolean => typeof value === 'function';

const schema = z.strictObject({
  /** The release, e.g. `1.16.1`. */
  version: firecrackerVersionSchema,
  /** The architecture to fetch (default: this machine's). */
  arch: z
    .enum(['x86_64', 'aarch64'], {
      error: 'must be "x86_64" or "aarch64", the architectures Firecracker publishes',
    })
    .optional(),
  /** The folder the three binaries are placed in. */
  dir: z
    .string()
    .min(1, { error: 'must be the folder to place the binaries in' })
    .refine((value) => !value.includes('\0'), { error: 'may not contain a NUL character' })
    .transform((value) => path.resolve(value)),
  /** Where releases are fetched from (default: Firecracker's official releases). */
  baseUrl: z
    .url({ protocol: /^https?$/u, error: 'must be an http or https URL' })
    .transform((value) => value.replace(/\/+$/u, ''))
    .default(OFFICIAL_RELEASES_URL),
  /** Cancels the download. */
  signal: z.instanceof(AbortSignal, { error: 'must be an AbortSignal' }).optional(),
  /** Called as the release archive arrives. */
  onProgress: z
    .custom<(progress: DownloadProgress) => void>(isFunction, { error: 'must be a function' })
    .optional(),
  /** The undici dispatcher for the requests (e.g. a proxy agent). */
  dispatcher: z
    .custom<Dispatcher>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        'dispatch' in value &&
        isFunction(value.dispatch),
      { error: 'must be an undici Dispatcher' },
    )
    .optional(),
  /** How long the whole download may take (default 10 min). */
  timeoutMs: z.number().int().positive().default(DEFAULT_DOWNLOAD_TIMEOUT_MS),
});

/**
 * Options of `VmmInstallation.download`.
 *
 * @interface
 */
export type DownloadReleaseOptions = z.input<typeof schema>;

type ResolvedDownloadReleaseOptions = z.output<typeof schema> & { readonly arch: ReleaseArch };

/** The paths `downloadRelease` placed the binaries at. */
export interface DownloadedBinaries {
  readonly firecrackerPath: string;
  readonly jailerPath: string;
  readonly snapshotEditorPath: string;
}

const resolveOptions = (options: DownloadReleaseOptions): ResolvedDownloadReleaseOptions => {
  const resolved = parseWithSchema(schema, options, 'download');
  const arch = resolved.arch ?? findReleaseArch(process.arch);
  if (arch === undefined) {
    throw new VmmCoreError(
      'ERR_INVALID_INPUT',
      `download.arch: Firecracker publishes only x86_64 and aarch64 builds and this machine is ${process.arch}, got nothing: pass arch explicitly.`,
    );
  }
  return { ...resolved, arch };
};

const rethrowAbort = (
  error: unknown,
  signal: AbortSignal | undefined,
  timeout: AbortSignal,
  timeoutMs: number,
  url: string,
): never => {
  signal?.throwIfAborted();
  if (timeout.aborted) {
    throw new VmmCoreError(
      'ERR_DOWNLOAD_FAILED',
      `Downloading ${url} did not finish within ${timeoutMs} ms: raise timeoutMs on a slow network.`,
      { cause: error },
    );
  }
  throw error;
};

/**
 * Downloads `firecracker-v<version>-<arch>.tgz` and its `.sha256.txt`, checks the SHA-256, and
 * moves `firecracker`, `jailer` and `snapshot-editor` into `dir`. Work happens in a temporary
 * folder inside `dir` that is removed whatever happens; binaries are moved into place only after
 * every check passed. Aborting rejects with the signal's reason.
 */
export const downloadRelease = async (
  options: DownloadReleaseOptions,
): Promise<DownloadedBinaries> => {
  const resolved = resolveOptions(options);
  const { version, arch, dir, baseUrl, timeoutMs } = resolved;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([timeout, ...(resolved.signal ? [resolved.signal] : [])]);
  signal.throwIfAborted();
  const tarballName = `firecracker-v${version}-${arch}.tgz`;
  const tarballUrl = `${baseUrl}/v${version}/${tarballName}`;
  const release = `release-v${version}-${arch}`;
  // undici is loaded for a download only: importing this package must not cost its memory.
  const { getGlobalDispatcher, interceptors } = await import('undici');
  const dispatcher = (resolved.dispatcher ?? getGlobalDispatcher()).compose(
    interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }),
  );
  let succeeded = false;
  await using cleanup = new CleanupStack();
  let staging: string;
  try {
    const createdDir = await mkdir(dir, { recursive: true });
    // A folder this call created is removed again unless the download succeeded.
    cleanup.defer(async () => {
      if (!succeeded && createdDir !== undefined) {
        await rm(createdDir, { recursive: true, force: true });
      }
    });
    staging = await mkdtemp(path.join(dir, '.kindling-download-'));
  } catch (error) {
    throw new VmmCoreError(
      'ERR_DOWNLOAD_FAILED',
      `Could not write to the folder ${dir} (${String(error)}): pick a folder you can write to.`,
      { cause: error },
    );
  }
  cleanup.defer(() => rm(staging, { recursive: true, force: true }));
  const binaries = ['firecracker', 'jailer', 'snapshot-editor'] as const;
  const members = new Map(
    binaries.map((name) => [`${release}/${name}-v${version}-${arch}`, path.join(staging, name)]),
  );
  try {
    const context = { dispatcher, signal };
    const expected = await fetchChecksum(`${tarballUrl}.sha256.txt`, tarballName, context);
    const tarball = path.join(staging, tarballName);
    const actual = await fetchToFile(tarballUrl, tarball, resolved.onProgress, context);
    if (actual !== expected) {
      throw new VmmCoreError(
        'ERR_DOWNLOAD_CHECKSUM',
        `The SHA-256 of ${tarballUrl} is ${actual}, but ${tarballUrl}.sha256.txt says ${expected}: the download is corrupt or was tampered with; nothing was installed.`,
      );
    }
    await unpackBinaries(tarball, members, tarballUrl, signal);
  } catch (error) {
    rethrowAbort(error, resolved.signal, timeout, timeoutMs, tarballUrl);
  }
  for (const name of binaries) {
    await rename(path.join(staging, name), path.join(dir, name));
  }
  succeeded = true;
  return {
    firecrackerPath: path.join(dir, 'firecracker'),
    jailerPath: path.join(dir, 'jailer'),
    snapshotEditorPath: path.join(dir, 'snapshot-editor'),
  };
};
