// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { DirectSpawner, type ProcessSpawner } from '@kindling/spawner';
import { z } from 'zod';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';
import { downloadRelease, type DownloadReleaseOptions } from './download-release.js';
import { firecrackerVersionSchema } from './release-version.js';
import { verifyBinary, type VerifyBinaryContext } from './verify-binary.js';
import type { VmmBinary } from './version-output.js';

const binaryPathSchema = z
  .string()
  .min(1, { error: 'must be a path to a binary' })
  .refine((value) => !value.includes('\0'), { error: 'may not contain a NUL character' })
  .transform((value) => path.resolve(value));

const pathsSchema = z.strictObject({
  /** The `firecracker` binary. */
  firecrackerPath: binaryPathSchema,
  /** The `jailer` binary. */
  jailerPath: binaryPathSchema,
  /** The `snapshot-editor` binary. */
  snapshotEditorPath: binaryPathSchema,
});

/**
 * Where the three binaries of a Firecracker release are; relative paths resolve against the cwd.
 *
 * @interface
 */
export type VmmInstallationPaths = z.input<typeof pathsSchema>;

const DEFAULT_VERIFY_TIMEOUT_MS = 10_000;

const verifyOptionsSchema = z.strictObject({
  /** Runs each binary to read its version (default: a `DirectSpawner`). */
  spawner: z
    .custom<ProcessSpawner>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as Partial<ProcessSpawner>).spawn === 'function',
      { error: 'must be a ProcessSpawner (an object with a spawn method)' },
    )
    .optional(),
  /** Cancels the check. */
  signal: z.instanceof(AbortSignal, { error: 'must be an AbortSignal' }).optional(),
  /** How long the checks may take (default 10 s). */
  timeoutMs: z.number().int().positive().default(DEFAULT_VERIFY_TIMEOUT_MS),
});

/**
 * Options of `VmmInstallation.verify`.
 *
 * @interface
 */
export type VerifyInstallationOptions = z.input<typeof verifyOptionsSchema>;

/**
 * The `firecracker`, `jailer` and `snapshot-editor` binaries of one Firecracker release. It only
 * records paths: `verify` checks them, `VmmInstallation.download` fetches an official release.
 */
export class VmmInstallation {
  readonly firecrackerPath: string;
  readonly jailerPath: string;
  readonly snapshotEditorPath: string;

  constructor(paths: VmmInstallationPaths) {
    const resolved = parseWithSchema(pathsSchema, paths, 'installation');
    this.firecrackerPath = resolved.firecrackerPath;
    this.jailerPath = resolved.jailerPath;
    this.snapshotEditorPath = resolved.snapshotEditorPath;
  }

  /**
   * Downloads an official Firecracker release, checks its SHA-256 against the published checksum,
   * and places `firecracker`, `jailer` and `snapshot-editor` in `options.dir`.
   */
  static async download(options: DownloadReleaseOptions): Promise<VmmInstallation> {
    return new VmmInstallation(await downloadRelease(options));
  }

  /**
   * Checks the three binaries concurrently: each must exist (`ERR_BINARY_MISSING`), be an
   * executable file that runs (`ERR_BINARY_NOT_EXECUTABLE`), print its own name for `--version`
   * (`ERR_BINARY_WRONG`) and the expected version (`ERR_BINARY_VERSION`). When several fail, the
   * error is the first binary's, listing the others, with all of them in an AggregateError cause.
   */
  async verify(expectedVersion: string, options: VerifyInstallationOptions = {}): Promise<void> {
    const version = parseWithSchema(firecrackerVersionSchema, expectedVersion, 'expectedVersion');
    const resolved = parseWithSchema(verifyOptionsSchema, options, 'verifyOptions');
    const timeout = AbortSignal.timeout(resolved.timeoutMs);
    const context: VerifyBinaryContext = {
      spawner: resolved.spawner ?? new DirectSpawner(),
      signal: AbortSignal.any([timeout, ...(resolved.signal ? [resolved.signal] : [])]),
      timedOut: () => timeout.aborted && resolved.signal?.aborted !== true,
      timeoutMs: resolved.timeoutMs,
    };
    const binaries: readonly (readonly [VmmBinary, string])[] = [
      ['firecracker', this.firecrackerPath],
      ['jailer', this.jailerPath],
      ['snapshot-editor', this.snapshotEditorPath],
    ];
    const results = await Promise.allSettled(
      binaries.map(([binary, binaryPath]) => verifyBinary(binary, binaryPath, version, context)),
    );
    resolved.signal?.throwIfAborted();
    const failures = results.flatMap((result) =>
      // verifyBinary rejects with Errors only; the caller's abort reason was rethrown above.
      result.status === 'rejected' ? [result.reason as Error] : [],
    );
    const [first] = failures;
    if (first === undefined) {
      return;
    }
    if (failures.length === 1 || !(first instanceof VmmCoreError)) {
      throw first;
    }
    const others = failures.slice(1).map((failure) => `\n- ${String(failure)}`);
    throw new VmmCoreError(first.code, `${first.message}\nAlso:${others.join('')}`, {
      cause: new AggregateError(failures, 'Several binaries failed verification'),
    });
  }
}
