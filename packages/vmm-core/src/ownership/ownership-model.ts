// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';

/**
 * Who owns a VMM's files, and so which way their owner must change:
 * - `shared`: the VMM runs as the control process's user; no owner ever changes.
 * - `upgraded-permanently`: the VMM runs elevated (e.g. as root through sudo) and keeps what it
 *   makes; files the control process needs back are reclaimed with an elevated `chown`.
 * - `upgraded-temporarily`: as above, but what is prepared for the VMM is handed back to the
 *   control process's own euid/egid.
 * - `downgraded`: the control process is privileged and hands the VMM's files to `uid`/`gid`
 *   (e.g. the jailer's `--uid`/`--gid`).
 */
export type OwnershipModel =
  | { readonly kind: 'shared' }
  | { readonly kind: 'upgraded-permanently' }
  | { readonly kind: 'upgraded-temporarily' }
  | { readonly kind: 'downgraded'; readonly uid: number; readonly gid: number };

/** A user and group id pair, as `chown` takes it. */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

// chown(2) reads (uid_t)-1 as "leave unchanged", so the largest usable id is 2^32 - 2.
const MAX_ID = 4_294_967_294;

const idSchema = (what: 'uid' | 'gid') =>
  z
    .number({ error: `expected the ${what} as an integer from 0 to ${MAX_ID}` })
    .int({ error: `expected the ${what} as an integer from 0 to ${MAX_ID}` })
    .min(0, { error: `expected the ${what} as an integer from 0 to ${MAX_ID}` })
    .max(MAX_ID, { error: `expected the ${what} as an integer from 0 to ${MAX_ID}` });

/** The zod schema of an `OwnershipModel`: one of four kinds, `downgraded` with its uid and gid. */
export const ownershipModelSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('shared') }),
    z.strictObject({ kind: z.literal('upgraded-permanently') }),
    z.strictObject({ kind: z.literal('upgraded-temporarily') }),
    z.strictObject({ kind: z.literal('downgraded'), uid: idSchema('uid'), gid: idSchema('gid') }),
  ],
  {
    error:
      "expected an object whose kind is 'shared', 'upgraded-permanently', 'upgraded-temporarily' or 'downgraded'",
  },
);

/**
 * Checks an ownership model, or throws `VmmCoreError` `ERR_INVALID_INPUT` naming `subject`, the
 * bad field, its value and the rule.
 */
export const parseOwnershipModel = (value: unknown, subject = 'ownership'): OwnershipModel =>
  parseWithSchema(ownershipModelSchema, value, subject);

/** Whether the VMM runs elevated, so that files must be reclaimed with an elevated `chown`. */
export const isUpgradedOwnership = (model: OwnershipModel): boolean =>
  model.kind === 'upgraded-permanently' || model.kind === 'upgraded-temporarily';

/** The control process's effective user and group ids, which `upgradeOwner` gives files back to. */
export const getProcessOwner = (): Owner => {
  const uid = process.geteuid?.();
  const gid = process.getegid?.();
  if (uid === undefined || gid === undefined) {
    throw new VmmCoreError(
      'ERR_OWNERSHIP_CHANGE',
      'This platform has no POSIX user ids (process.geteuid is missing): Kindling runs on Linux only',
    );
  }
  return { uid, gid };
};

/**
 * Whom files prepared for the VMM are handed to: the given ids for `downgraded`, the control
 * process for `upgraded-temporarily`, nobody (`undefined`) otherwise.
 */
export const getDowngradeOwner = (model: OwnershipModel): Owner | undefined => {
  if (model.kind === 'downgraded') {
    return { uid: model.uid, gid: model.gid };
  }
  return model.kind === 'upgraded-temporarily' ? getProcessOwner() : undefined;
};
