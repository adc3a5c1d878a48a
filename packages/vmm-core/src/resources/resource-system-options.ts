// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { MAX_TIMER_MS } from '@kindling/helpers';
import type { ProcessSpawner } from '@kindling/spawner';
import { z } from 'zod';
import { absolutePathSchema } from '../ownership/absolute-path.js';
import {
  isUpgradedOwnership,
  ownershipModelSchema,
  type OwnershipModel,
} from '../ownership/ownership-model.js';
import { spawnerSchema } from '../ownership/spawner-schema.js';
import { resourceTypeSchema } from './resource-type.js';

/** What a `ResourceSystem` is built with. */
export interface ResourceSystemOptions {
  /** Whose files the VMM's are (default `{ kind: 'shared' }`). */
  readonly ownership?: OwnershipModel;
  /** Runs `mkfifo` as the control process (default a `DirectSpawner`). */
  readonly spawner?: ProcessSpawner;
  /**
   * Runs `chown -R` to reclaim files the VMM made as root: required for the `upgraded-*`
   * ownership models (a `SudoSpawner` or `SuSpawner`), unused otherwise.
   */
  readonly elevatedSpawner?: ProcessSpawner;
  /** How long `mkfifo` or `chown -R` may run (default 60 s). */
  readonly toolTimeoutMs?: number;
}

/** Where one resource goes: decided by the executor. */
export interface ResourceTarget {
  /** Where the file really is, on the host (default: the initial path). */
  readonly effectivePath?: string | undefined;
  /** The path the VMM is given (default: the effective path), e.g. relative to a jail root. */
  readonly virtualPath?: string | undefined;
}

/** Options of `initialize`: the target, and what cancels it. */
export interface InitializeResourceOptions extends ResourceTarget {
  readonly signal?: AbortSignal | undefined;
}

/** What cancels a multi-resource or disposal call. */
export interface ResourceCallOptions {
  readonly signal?: AbortSignal | undefined;
}

const DEFAULT_TOOL_TIMEOUT_MS = 60_000;

const signalSchema = z.instanceof(AbortSignal, { error: 'expected an AbortSignal' }).optional();

/** The zod schema of `ResourceSystemOptions`, with the defaults. */
export const resourceSystemOptionsSchema = z
  .strictObject({
    ownership: ownershipModelSchema.default({ kind: 'shared' }),
    spawner: spawnerSchema.optional(),
    elevatedSpawner: spawnerSchema.optional(),
    toolTimeoutMs: z
      .number({ error: 'expected a positive integer' })
      .int({ error: 'expected a positive integer' })
      .positive({ error: 'expected a positive integer' })
      .max(MAX_TIMER_MS, { error: `expected at most ${MAX_TIMER_MS}` })
      .default(DEFAULT_TOOL_TIMEOUT_MS),
  })
  .superRefine((options, context) => {
    if (isUpgradedOwnership(options.ownership) && options.elevatedSpawner === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['elevatedSpawner'],
        message: `required with ownership '${options.ownership.kind}': pass a SudoSpawner or SuSpawner`,
        input: options.elevatedSpawner,
      });
    }
  });

/** The zod schema of a `ResourceTarget`. */
export const targetSchema = z.strictObject({
  effectivePath: absolutePathSchema.optional(),
  virtualPath: z
    .string({ error: 'expected a non-empty path without NUL bytes' })
    .refine((value) => value.length > 0 && !value.includes('\0'), {
      error: 'expected a non-empty path without NUL bytes',
    })
    .optional(),
});

/** The zod schema of `InitializeResourceOptions`. */
export const initializeOptionsSchema = targetSchema.extend({ signal: signalSchema });

/** The zod schema of `ResourceCallOptions`. */
export const callOptionsSchema = z.strictObject({ signal: signalSchema }).default({});

/** The zod schema of `createResource`'s arguments. */
export const createResourceSchema = z.strictObject({
  initialPath: absolutePathSchema,
  type: resourceTypeSchema,
});

/** The zod schema of `initializeAll`'s target resolver: a function of a resource. */
export const resolverSchema = z.custom<(resource: unknown) => unknown>(
  (value) => typeof value === 'function',
  { error: 'expected a function that gives each resource its target' },
);
