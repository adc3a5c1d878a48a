// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// A spawner stand-in that counts calls and never starts a process, and the rule that a refused
// input spawned nothing: what the property tests of every builder that ends in a spawn check.

import { checkParsedOrRefusedAsync, type RefusalRule } from './property-checks.js';

/** Every spawn attempt the stand-in saw. */
export interface CountingSpawner {
  readonly calls: { readonly binary: unknown; readonly args: unknown }[];
  /** Shaped as `ProcessSpawner.spawn`; always rejects, so nothing ever runs. */
  spawn(binary: string, args: readonly string[], options?: unknown): Promise<never>;
}

/** The error the stand-in rejects every spawn with. */
export class StandInSpawnError extends Error {
  static {
    this.prototype.name = 'StandInSpawnError';
  }
}

/** A spawner stand-in that records each call and rejects it: no process is ever started. */
export const createCountingSpawner = (): CountingSpawner => {
  const calls: { binary: unknown; args: unknown }[] = [];
  return {
    calls,
    spawn: (binary, args) => {
      calls.push({ binary, args });
      return Promise.reject(new StandInSpawnError('the counting stand-in never spawns'));
    },
  };
};

/**
 * Runs `action` (which builds and spawns through `spawner`): a refusal of the input (the layer's
 * `ERR_INVALID_INPUT` naming `rule.names`) must have spawned nothing; any other failure must come
 * after a spawn attempt (the stand-in refused it), never before. Returns how it ended.
 */
export const checkRefusedBeforeSpawn = async (
  action: () => Promise<unknown>,
  rule: RefusalRule,
  spawner: CountingSpawner,
): Promise<'refused' | 'spawned' | 'done'> => {
  const before = spawner.calls.length;
  let spawnFailure: unknown;
  const outcome = await checkParsedOrRefusedAsync(async () => {
    try {
      return await action();
    } catch (error) {
      // A failure after the stand-in was asked to spawn, other than a refusal of the input: the
      // input passed validation.
      const code = (error as { readonly code?: unknown } | undefined)?.code;
      if (spawner.calls.length > before && code !== 'ERR_INVALID_INPUT') {
        spawnFailure = error;
        return null;
      }
      throw error;
    }
  }, rule);
  const spawned = spawner.calls.length - before;
  if (!outcome.parsed && spawned > 0) {
    throw new Error(
      `refused the input after ${spawned} spawn attempt(s): ${outcome.error.message}`,
    );
  }
  if (!outcome.parsed) {
    return 'refused';
  }
  return spawnFailure === undefined && spawned === 0 ? 'done' : 'spawned';
};
