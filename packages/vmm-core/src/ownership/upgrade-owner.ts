// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { MAX_TIMER_MS } from '@kindling/helpers';
import type { ProcessSpawner } from '@kindling/spawner';
import { z } from 'zod';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';
import { absolutePathSchema } from './absolute-path.js';
import { spawnerSchema } from './spawner-schema.js';
import {
  getProcessOwner,
  isUpgradedOwnership,
  ownershipModelSchema,
  type OwnershipModel,
} from './ownership-model.js';
import { describeExit, runTool } from './run-tool.js';

/** How long `upgradeOwner` lets `chown -R` run, and what cancels it. */
export interface UpgradeOwnerOptions {
  /** Default 60 s: a recursive chown of a large tree takes a while. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 60_000;

const argumentsSchema = z.strictObject({
  path: absolutePathSchema,
  model: ownershipModelSchema,
  spawner: spawnerSchema,
  options: z
    .strictObject({
      timeoutMs: z
        .number()
        .int({ error: 'expected a positive integer' })
        .positive({ error: 'expected a positive integer' })
        .max(MAX_TIMER_MS, { error: `expected at most ${MAX_TIMER_MS}` })
        .default(DEFAULT_TIMEOUT_MS),
      signal: z.instanceof(AbortSignal, { error: 'expected an AbortSignal' }).optional(),
    })
    .default({ timeoutMs: DEFAULT_TIMEOUT_MS }),
});

/**
 * Gives a file or a whole tree back to the control process (its euid:egid) by running
 * `chown -R` through `spawner`, which must be elevated (sudo, su or a root process) for files the
 * VMM made as root. Only the `upgraded-*` models change anything; the others return at once.
 * Every failure (spawn, non-zero exit, timeout) throws `VmmCoreError` `ERR_OWNERSHIP_CHANGE`.
 */
export const upgradeOwner = async (
  path: string,
  model: OwnershipModel,
  spawner: ProcessSpawner,
  options?: UpgradeOwnerOptions,
): Promise<void> => {
  const checked = parseWithSchema(
    argumentsSchema,
    { path, model, spawner, options },
    'upgradeOwner',
  );
  if (!isUpgradedOwnership(checked.model)) {
    return;
  }
  const { uid, gid } = getProcessOwner();
  const command = `chown -R ${uid}:${gid} ${checked.path}`;
  let outcome;
  try {
    outcome = await runTool(checked.spawner, 'chown', ['-R', `${uid}:${gid}`, '--', checked.path], {
      timeoutMs: checked.options.timeoutMs,
      signal: checked.options.signal,
    });
  } catch (error) {
    if (checked.options.signal?.aborted === true) {
      throw error;
    }
    throw new VmmCoreError(
      'ERR_OWNERSHIP_CHANGE',
      `Could not run ${command} through the spawner: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (outcome.timedOut) {
    throw new VmmCoreError(
      'ERR_OWNERSHIP_CHANGE',
      `${command} did not finish within ${checked.options.timeoutMs} ms: raise timeoutMs for a large tree`,
    );
  }
  if (outcome.exit.code !== 0) {
    throw new VmmCoreError(
      'ERR_OWNERSHIP_CHANGE',
      `${command} ${describeExit(outcome.exit)}${outcome.stderr === '' ? '' : `: ${outcome.stderr}`}. ` +
        'Check that the path exists and that the spawner is elevated (sudo, su or root).',
    );
  }
};
