// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { VmmCoreError } from '../errors.js';
import type { FolderHold } from './folder-ledger.js';
import type { LinkHold } from './inode-ledger.js';
import type { OwnerChange } from './owner-change.js';
import { describeResourceType, type ResourceType } from './resource-type.js';

/**
 * Where a resource is in its life: `uninitialized` until `initialize` puts it in place,
 * `initialized` while the VMM may use it, `disposed` once its files are removed (final). The
 * `-ing` states are transient and reject a second concurrent call.
 */
export type ResourceState =
  'uninitialized' | 'initializing' | 'initialized' | 'disposing' | 'disposed';

/** What initialisation did, so that disposal undoes exactly that and nothing more. */
export type AppliedAction =
  // `none`: the effective path is the initial path, so the user's file is left alone.
  | { readonly action: 'none' }
  // `folders`: the folders Kindling made that the file needs, let go of on disposal.
  | { readonly action: 'created' | 'produced' | 'copied'; readonly folders: FolderHold }
  // A hard link shares the user's inode: the inode ledger decides whose it is.
  | { readonly action: 'hard-linked'; readonly folders: FolderHold; readonly link: LinkHold }
  // A renamed file is the user's own; `ownerChange` gives it its owner back.
  | {
      readonly action: 'renamed';
      readonly folders: FolderHold;
      readonly ownerChange: OwnerChange | undefined;
    };

/** The mutable inside of a `Resource`, kept out of its public face. */
export interface ResourceRecord {
  state: ResourceState;
  effectivePath: string | undefined;
  virtualPath: string | undefined;
  applied: AppliedAction | undefined;
}

const records = new WeakMap<Resource, ResourceRecord>();

/**
 * A file a VMM uses, tracked by a `ResourceSystem` from creation to disposal. It has an initial
 * path (where the user has it, or wants it), an effective path (where it really is once
 * initialised, e.g. inside a jail) and a virtual path (what Firecracker is told, e.g. relative to
 * the jail root). Compare resources by identity.
 */
export class Resource {
  /** The path the user gave, on the host. */
  readonly initialPath: string;
  readonly type: ResourceType;

  /** Made by `ResourceSystem.createResource`; a resource made by hand belongs to no system. */
  constructor(initialPath: string, type: ResourceType) {
    this.initialPath = initialPath;
    this.type = type;
    records.set(this, {
      state: 'uninitialized',
      effectivePath: undefined,
      virtualPath: undefined,
      applied: undefined,
    });
  }

  get state(): ResourceState {
    return getResourceRecord(this).state;
  }

  /** Where the file really is on the host; throws `ERR_RESOURCE_STATE` until initialised. */
  get effectivePath(): string {
    return requirePath(this, getResourceRecord(this).effectivePath, 'effective');
  }

  /** The path the VMM is given; throws `ERR_RESOURCE_STATE` until initialised. */
  get virtualPath(): string {
    return requirePath(this, getResourceRecord(this).virtualPath, 'virtual');
  }
}

/** The inside of a resource, for the resource system. */
export const getResourceRecord = (resource: Resource): ResourceRecord => {
  const record = records.get(resource);
  if (record === undefined) {
    throw new TypeError('not a Resource');
  }
  return record;
};

/** Names a resource in messages: its type and initial path. */
export const describeResource = (resource: Resource): string =>
  `${describeResourceType(resource.type)} resource ${resource.initialPath}`;

/** The `ERR_RESOURCE_STATE` error for a call the resource's current state does not allow. */
export const createResourceStateError = (resource: Resource, rule: string): VmmCoreError =>
  new VmmCoreError(
    'ERR_RESOURCE_STATE',
    `The ${describeResource(resource)} is ${resource.state}: ${rule}`,
  );

/** The `ERR_INVALID_INPUT` error for a value that is not one of the system's own resources. */
export const createForeignResourceError = (value: unknown, method: string): VmmCoreError =>
  new VmmCoreError(
    'ERR_INVALID_INPUT',
    `${method}.resource: expected a resource created by this ResourceSystem, got ${value instanceof Resource ? `another system's ${describeResource(value)}` : typeof value}`,
  );

function requirePath(resource: Resource, value: string | undefined, which: string): string {
  if (value === undefined) {
    throw new VmmCoreError(
      'ERR_RESOURCE_STATE',
      `The ${which} path of the ${describeResource(resource)} is unknown while it is ${resource.state}: initialise it first`,
    );
  }
  return value;
}
