// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { vmIdSchema } from './vm-id.js';

// The server answers with these (strict) schemas; the client parses answers with `looseAnswer`'s
// copy of them, so a newer server's extra fields do not break an older client.

/** The states of a VM, as `@kindling/vm` names them. */
export const vmStateSchema = z.enum(['not-started', 'running', 'paused', 'exited', 'crashed']);

/** How a VM's Firecracker ended: its exit code or signal, and how the server saw it end. */
export const vmExitSchema = z.strictObject({
  /** The exit code, when Firecracker exited by itself. */
  code: z.int().optional(),
  /** The signal that ended it (`SIGKILL`), when one did. */
  signal: z.string().optional(),
  /** `unknown` for a jailed or re-adopted VM, whose exit status cannot be seen. */
  reason: z.enum(['exited', 'signaled', 'unknown']),
});

/** How a VM was made: from a configuration, a Firecracker config file, or a snapshot. */
export const vmSourceKindSchema = z.enum(['config', 'config-file', 'snapshot']);

/** One VM the server owns, as every VM route answers it. */
export const vmInfoSchema = z.strictObject({
  /** The VM's id on this server. */
  id: vmIdSchema,
  /** Its state now. */
  state: vmStateSchema,
  /** The Firecracker process's pid while it runs. */
  pid: z.int().optional(),
  /** When the server created it (ISO 8601). */
  createdAt: z.string(),
  /** The labels it was created with. */
  labels: z.record(z.string(), z.string()),
  /** What it was made from. */
  source: vmSourceKindSchema,
  /** The VM's Firecracker API socket on the server's host. */
  apiSocket: z.string().optional(),
  /** Whether its Firecracker runs under the jailer. */
  jailed: z.boolean(),
  /** Found running when the server started, and taken over (every route works on it). */
  adopted: z.boolean(),
  /** How its Firecracker ended, once it has. */
  exit: vmExitSchema.optional(),
});

/** The answer of `GET /v1/vms`. */
export const vmListSchema = z.strictObject({ vms: z.array(vmInfoSchema) });

/** The answer of `GET /v1/health`. */
export const healthSchema = z.strictObject({
  /** The server's version. */
  version: z.string(),
  /** How many VMs it owns. */
  vms: z.int().nonnegative(),
  /** How long the server has run, in milliseconds. */
  uptimeMs: z.number().nonnegative(),
  /** What the server found in its state folder when it started: VMs re-adopted, VMs cleaned up. */
  recovered: z.strictObject({ adopted: z.array(vmIdSchema), cleanedUp: z.array(vmIdSchema) }),
});

/**
 * A VM's state.
 * @useDeclaredType
 */
export type VmState = z.output<typeof vmStateSchema>;
/**
 * A VM the server owns.
 * @interface
 */
export type VmInfo = z.output<typeof vmInfoSchema>;
/**
 * How a VM's Firecracker ended.
 * @interface
 */
export type VmExit = z.output<typeof vmExitSchema>;
/**
 * How a VM was made.
 * @useDeclaredType
 */
export type VmSourceKind = z.output<typeof vmSourceKindSchema>;
/**
 * The server's health.
 * @interface
 */
export type Health = z.output<typeof healthSchema>;
