// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { link, lstat, rm } from 'node:fs/promises';
import { downgradeOwner } from '../ownership/downgrade-owner.js';
import type { Owner } from '../ownership/ownership-model.js';
import { errorCodeOf } from './file-errors.js';
import { sameOwner } from './owner-change.js';
import { SerialLock } from './serial-lock.js';

// One inode Kindling hard-linked: the owner it had, the one Kindling gave it (if it changed it),
// how many links it had before, and Kindling's links to it.
interface InodeEntry {
  readonly original: Owner;
  readonly given: Owner | undefined;
  readonly linksBefore: number;
  readonly links: Set<string>;
}

/** One hard link Kindling made, to let go of with `InodeLedger.release`. */
export interface LinkHold {
  readonly key: string;
  readonly target: string;
}

const describeOwner = (owner: Owner): string => `${owner.uid}:${owner.gid}`;

// What the policy reads of a file; the inode number as a bigint, as it may exceed 2^53.
interface InodeFacts {
  readonly key: string;
  readonly links: number;
  readonly owner: Owner;
}

const inspect = async (target: string): Promise<InodeFacts> => {
  const stats = await lstat(target, { bigint: true });
  return {
    key: `${stats.dev}:${stats.ino}`,
    links: Number(stats.nlink),
    owner: { uid: Number(stats.uid), gid: Number(stats.gid) },
  };
};

const inspectIfPresent = async (target: string): Promise<InodeFacts | undefined> => {
  try {
    return await inspect(target);
  } catch (error) {
    if (errorCodeOf(error) === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
};

const ADVICE = "use the 'copy' or 'hard-link-or-copy' method";

/**
 * The user's files Kindling hard-linked, shared by every `ResourceSystem` of this process. A hard
 * link shares the user's inode, so its owner changes for every name it has. The policy:
 * - the first link hands the inode to the VMM's user (when it is not theirs already) and records
 *   the owner it had; a file with links Kindling did not make (another process's jail, or links of
 *   the user's) is never given a new owner;
 * - another link to an inode Kindling already linked is made only when the VMM runs as the user
 *   the inode already has: taking it from a running VMM is refused;
 * - the last of Kindling's links to go gives the inode back the recorded owner, only when it still
 *   has the owner Kindling gave it and no link appeared meanwhile that Kindling did not make.
 */
export class InodeLedger {
  readonly #entries = new Map<string, InodeEntry>();
  readonly #lock = new SerialLock();

  /**
   * Hard-links `source` at `target` and hands the inode to `owner` (by default nobody: no owner
   * changes) as the policy allows. Rejects with an `Error` saying why the policy refuses, the
   * file-system error, or `VmmCoreError` `ERR_OWNERSHIP_CHANGE`; nothing is left at `target` then.
   */
  link(source: string, target: string, owner?: Owner): Promise<LinkHold> {
    return this.#lock.run(async () => {
      const before = await inspect(source);
      const { key, owner: current } = before;
      const entry = await this.#liveEntry(key);
      const change = owner !== undefined && !sameOwner(current, owner) ? owner : undefined;
      if (change !== undefined && entry !== undefined) {
        throw new Error(
          `${source} is already linked for another VMM and owned by ${describeOwner(current)}: handing it to ${describeOwner(change)} would take it from that VMM, since a hard link shares the file; ${ADVICE}`,
        );
      }
      if (change !== undefined && before.links > 1) {
        throw new Error(
          `${source} has ${before.links} links that Kindling did not make (another process's VMM, or links of yours): handing it to ${describeOwner(change)} would change the owner for all of them, since a hard link shares the file; ${ADVICE}`,
        );
      }
      await link(source, target);
      try {
        if ((await inspect(target)).key !== key) {
          throw new Error(`${source} was replaced while it was being linked: try again`);
        }
        if (change !== undefined) {
          await downgradeOwner(target, { kind: 'downgraded', ...change }, { recursive: false });
        }
      } catch (error) {
        await rm(target, { force: true });
        throw error;
      }
      if (entry === undefined) {
        this.#entries.set(key, {
          original: current,
          given: change,
          linksBefore: before.links,
          links: new Set([target]),
        });
      } else {
        entry.links.add(target);
      }
      return { key, target };
    });
  }

  /**
   * Removes Kindling's link, giving the inode its recorded owner back first when it is the last
   * of Kindling's links and the policy allows. On failure the link stays, so it can be retried.
   */
  release(hold: LinkHold): Promise<void> {
    return this.#lock.run(async () => {
      const entry = await this.#liveEntry(hold.key);
      const tracked = entry?.links.has(hold.target) === true ? entry : undefined;
      if (tracked?.given !== undefined && tracked.links.size === 1) {
        const placed = await inspectIfPresent(hold.target);
        if (
          placed !== undefined &&
          placed.key === hold.key &&
          sameOwner(placed.owner, tracked.given) &&
          placed.links - 1 <= tracked.linksBefore
        ) {
          await downgradeOwner(
            hold.target,
            { kind: 'downgraded', ...tracked.original },
            { recursive: false },
          );
        }
      }
      await rm(hold.target, { force: true });
      tracked?.links.delete(hold.target);
      if (tracked?.links.size === 0) {
        this.#entries.delete(hold.key);
      }
    });
  }

  /**
   * The owner change a hold's link would undo when it goes (the owner the inode had, the one
   * Kindling gave it, how many links it had before, and the inode as `<dev>:<ino>`), or
   * `undefined` when Kindling changed no
   * owner; read as is, for a disposal plan.
   */
  describeOwnerChange(hold: LinkHold):
    | {
        readonly original: Owner;
        readonly given: Owner;
        readonly linksBefore: number;
        readonly inode: string;
      }
    | undefined {
    const entry = this.#entries.get(hold.key);
    if (entry?.given === undefined || !entry.links.has(hold.target)) {
      return undefined;
    }
    return {
      original: entry.original,
      given: entry.given,
      linksBefore: entry.linksBefore,
      inode: hold.key,
    };
  }

  // The entry of an inode, without the links that were removed behind Kindling's back; an entry
  // none of whose links remain is gone (its inode number may since name another file).
  async #liveEntry(key: string): Promise<InodeEntry | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    for (const target of entry.links) {
      const facts = await inspectIfPresent(target);
      if (facts?.key !== key) {
        entry.links.delete(target);
      }
    }
    if (entry.links.size === 0) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

/** The inode ledger every `ResourceSystem` of this process shares. */
export const processInodeLedger = new InodeLedger();
