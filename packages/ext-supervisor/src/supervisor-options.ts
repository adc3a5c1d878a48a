// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { MAX_TIMER_MS } from '@kindling/helpers';
import type { Vm, VmSnapshot } from '@kindling/vm';
import { z } from 'zod';
import { parseInput } from './errors.js';
import { functionSchema } from './shutdown-actions-schema.js';

/**
 * How a supervisor restarts, as in Erlang/OTP: only the child that ended (`one-for-one`), every
 * child (`one-for-all`), or the child and those started after it (`rest-for-one`).
 */
export type RestartStrategy = 'one-for-one' | 'one-for-all' | 'rest-for-one';

/**
 * When a child is restarted: always (`permanent`), only after a crash (`transient`), or never
 * (`temporary`: when it ends it is dropped).
 */
export type ChildRestart = 'permanent' | 'transient' | 'temporary';

/** What a child's `start` and `restore` get. */
export interface ChildStartContext {
  /** The child's id. */
  readonly id: string;
  /** Aborts at `startTimeoutMs`, or when the supervisor stops: give it to `Vm.prepare`/`start`. */
  readonly signal: AbortSignal;
  /** 1 for the first start, then one more for each restart of this child. */
  readonly attempt: number;
}

/** One VM the supervisor keeps running. */
export interface ChildSpec {
  /** Unique among the children: the key of `supervisor.children` and of every event. */
  readonly id: string;
  /** Makes and starts a new VM (a cold boot); a VM returned `not-started` is started. */
  readonly start: (context: ChildStartContext) => Promise<Vm>;
  /** Default `permanent`. */
  readonly restart?: ChildRestart;
  /**
   * The snapshot to restart from, asked at each restart (undefined: boot cold). Keep its files
   * where they survive the child's cleanup (`snapshot.copy()`).
   */
  readonly snapshot?: () => VmSnapshot | undefined;
  /** Restores `snapshot` into a new VM (e.g. `Vm.restore`, then `start()`); needs `snapshot`. */
  readonly restore?: (snapshot: VmSnapshot, context: ChildStartContext) => Promise<Vm>;
}

/** What `new Supervisor()` takes. */
export interface SupervisorOptions {
  /** Default `one-for-one`. */
  readonly strategy?: RestartStrategy;
  /** Restarts allowed within `withinMs` before giving up (OTP's intensity; default 1). */
  readonly maxRestarts?: number;
  /** The window of `maxRestarts` (OTP's period; default 5 000 ms). */
  readonly withinMs?: number;
  /** How long a child's `start` or `restore` may take (default 60 000 ms). */
  readonly startTimeoutMs?: number;
  /** How long a child's shutdown and cleanup may take (default 30 000 ms). */
  readonly stopTimeoutMs?: number;
  /** The children, in start order (stopped in the reverse order). */
  readonly children: readonly ChildSpec[];
}

const childSchema = z
  .strictObject({
    id: z.string().min(1),
    start: functionSchema<ChildSpec['start']>('a function (context) => Promise<Vm>'),
    restart: z.enum(['permanent', 'transient', 'temporary']).default('permanent'),
    snapshot: functionSchema<NonNullable<ChildSpec['snapshot']>>(
      'a function () => VmSnapshot | undefined',
    ).optional(),
    restore: functionSchema<NonNullable<ChildSpec['restore']>>(
      'a function (snapshot, context) => Promise<Vm>',
    ).optional(),
  })
  .superRefine((child, context) => {
    if ((child.snapshot === undefined) !== (child.restore === undefined)) {
      const missing = child.restore === undefined ? 'restore' : 'snapshot';
      context.addIssue({
        code: 'custom',
        message: 'snapshot and restore go together: give both, or neither',
        path: [missing],
        input: undefined,
      });
    }
  });

const timeoutMs = (fallback: number) =>
  z.number().int().positive().max(MAX_TIMER_MS).default(fallback);

const optionsSchema = z
  .strictObject({
    strategy: z.enum(['one-for-one', 'one-for-all', 'rest-for-one']).default('one-for-one'),
    maxRestarts: z.number().int().nonnegative().default(1),
    withinMs: timeoutMs(5_000),
    startTimeoutMs: timeoutMs(60_000),
    stopTimeoutMs: timeoutMs(30_000),
    children: z.array(childSchema),
  })
  .superRefine((options, context) => {
    const seen = new Set<string>();
    for (const [index, child] of options.children.entries()) {
      if (seen.has(child.id)) {
        context.addIssue({
          code: 'custom',
          message: 'ids must be unique (another child has this one)',
          path: ['children', index, 'id'],
          input: child.id,
        });
      }
      seen.add(child.id);
    }
  });

/** A child with its defaults applied. */
export type ResolvedChildSpec = z.output<typeof childSchema>;

/** The options with their defaults applied. */
export type ResolvedSupervisorOptions = z.output<typeof optionsSchema>;

/** Validates a supervisor's options; a bad field is `ERR_INVALID_INPUT` naming it. */
export const parseSupervisorOptions = (options: unknown): ResolvedSupervisorOptions =>
  parseInput(optionsSchema, options, 'options');
