// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { downgradeOwner } from '../ownership/downgrade-owner.js';
import type { Owner } from '../ownership/ownership-model.js';
import { errorCodeOf } from './file-errors.js';
import { sameOwner } from './owner-change.js';
import { SerialLock } from './serial-lock.js';

// One folder Kindling made: how many resources need it, who made it, whom it was handed to.
interface FolderEntry {
  holds: number;
  readonly maker: object;
  handedTo: Owner | undefined;
}

/** The folders Kindling made that one resource needs, deepest first; let go with `release`. */
export interface FolderHold {
  readonly folders: readonly { readonly path: string; readonly entry: FolderEntry }[];
}

/** What a resource asks of the folder its file goes in. */
export interface FolderRequest {
  /** The resource system asking: it hands over only the folders it made itself. */
  readonly maker: object;
  /** Whom the VMM runs as, when the model hands files to it; `undefined` changes no owner. */
  readonly owner: Owner | undefined;
  /** Whether the VMM makes the file itself, so it must be able to write in the folder. */
  readonly writable: boolean;
}

// The folders `mkdir -p` made, deepest first: from `parent` up to the first one it created.
const listMadeFolders = (first: string | undefined, parent: string): string[] => {
  if (first === undefined) {
    return [];
  }
  const made = [parent];
  let current = parent;
  while (current !== first && path.dirname(current) !== current) {
    current = path.dirname(current);
    made.push(current);
  }
  return made;
};

const describeOwner = (owner: Owner): string => `${owner.uid}:${owner.gid}`;

/**
 * The folders Kindling made for resources, shared by every `ResourceSystem` of this process so that
 * the outcome does not depend on the order or concurrency of initialisations: each folder is made
 * once, handed to the VMM's user whenever a resource needs to write in it (whichever resource made
 * it), and removed only once no resource needs it and it is empty. Every change is serialised.
 */
export class FolderLedger {
  readonly #entries = new Map<string, FolderEntry>();
  readonly #lock = new SerialLock();

  /**
   * Makes `parent` and the folders missing above it, hands them to the VMM's user as `request`
   * says, and holds every folder Kindling made on the way up until `release`. Rejects with the
   * file-system or ownership error, having undone what it did.
   */
  acquire(parent: string, request: FolderRequest): Promise<FolderHold> {
    return this.#lock.run(async () => {
      // Never writable by others (whatever the umask), who could plant a link where a file goes;
      // searchable by the VMM's user when it is another, so that it can open its files in them.
      const mode = request.owner === undefined ? 0o700 : 0o711;
      const first = await mkdir(parent, { recursive: true, mode });
      for (const made of listMadeFolders(first, parent)) {
        // A folder made anew replaces an entry whose folder was removed behind Kindling's back.
        this.#entries.set(made, { holds: 0, maker: request.maker, handedTo: undefined });
      }
      const folders = this.#listHeld(parent);
      try {
        if (request.writable && request.owner !== undefined) {
          await this.#handOver(parent, folders, request.maker, request.owner);
        }
      } catch (error) {
        try {
          await this.#removeUnheld(folders);
        } catch (undoError) {
          throw new AggregateError(
            [error, undoError],
            'handing folders over and undoing both failed',
            { cause: undoError },
          );
        }
        throw error;
      }
      for (const { entry } of folders) {
        entry.holds += 1;
      }
      return { folders };
    });
  }

  /**
   * Lets go of a hold and removes, deepest first, each folder no resource needs any more; a folder
   * that is not empty (someone else's file is in it) is kept and forgotten. Rejects with the
   * failures to remove a folder (an `AggregateError` of them when there are several).
   */
  release(hold: FolderHold): Promise<void> {
    return this.#lock.run(async () => {
      for (const { entry } of hold.folders) {
        entry.holds -= 1;
      }
      await this.#removeUnheld(hold.folders);
    });
  }

  // The folders Kindling made from `parent` up to the first folder it did not make.
  #listHeld(parent: string): { path: string; entry: FolderEntry }[] {
    const held: { path: string; entry: FolderEntry }[] = [];
    let current = parent;
    let entry = this.#entries.get(current);
    while (entry !== undefined) {
      held.push({ path: current, entry });
      const above = path.dirname(current);
      entry = above === current ? undefined : this.#entries.get(above);
      current = above;
    }
    return held;
  }

  // The VMM writes in `parent`: it gets the folder, made by whichever resource system, and the
  // folders above it that this system made (another system's folders stay its own).
  async #handOver(
    parent: string,
    folders: readonly { path: string; entry: FolderEntry }[],
    maker: object,
    owner: Owner,
  ): Promise<void> {
    for (const { path: folder, entry } of folders) {
      if (entry.handedTo !== undefined) {
        if (folder === parent && !sameOwner(entry.handedTo, owner)) {
          throw new Error(
            `${folder} was made for another VMM and handed to ${describeOwner(entry.handedTo)}, so the VMM running as ${describeOwner(owner)} could not write in it: give each VMM its own folder`,
          );
        }
        continue;
      }
      if (folder === parent || entry.maker === maker) {
        await downgradeOwner(folder, { kind: 'downgraded', ...owner }, { recursive: false });
        entry.handedTo = owner;
      }
    }
  }

  async #removeUnheld(folders: readonly { path: string; entry: FolderEntry }[]): Promise<void> {
    const failures: unknown[] = [];
    for (const { path: folder, entry } of folders) {
      if (entry.holds > 0 || this.#entries.get(folder) !== entry) {
        continue;
      }
      this.#entries.delete(folder);
      try {
        await rmdir(folder);
      } catch (error) {
        // Not empty (EEXIST on some systems): what is in it is not Kindling's, so the folder stays.
        const code = errorCodeOf(error);
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') {
          failures.push(error);
        }
      }
    }
    if (failures.length === 1) {
      throw failures[0];
    }
    if (failures.length > 1) {
      throw new AggregateError(failures, `${failures.length} folders could not be removed`);
    }
  }
}

/** The folder ledger every `ResourceSystem` of this process shares. */
export const processFolderLedger = new FolderLedger();
