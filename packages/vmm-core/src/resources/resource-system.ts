// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { DirectSpawner, type ProcessSpawner } from '@kindling/spawner';
import type { OwnershipModel } from '../ownership/ownership-model.js';
import { parseWithSchema } from '../validation.js';
import { combineFailures } from './combine-failures.js';
import { disposeResource, releaseResourceFolders } from './dispose-resource.js';
import { initializeResource } from './initialize-resource.js';
import { createResourceContext, type ResourceContext } from './resource-context.js';
import {
  callOptionsSchema,
  createResourceSchema,
  initializeOptionsSchema,
  resolverSchema,
  targetSchema,
  resourceSystemOptionsSchema,
  type InitializeResourceOptions,
  type ResourceCallOptions,
  type ResourceSystemOptions,
  type ResourceTarget,
} from './resource-system-options.js';
import type { ResourceType } from './resource-type.js';
import {
  createForeignResourceError,
  createResourceStateError,
  getResourceRecord,
  Resource,
} from './resource.js';

/**
 * Tracks the files a VMM uses, from creation to disposal. `createResource` registers a resource;
 * the executor decides where each goes and calls `initialize` (or `initializeAll`), then
 * `dispose` (or `disposeAll`, also run by `await using`). Owners change as the `ownership` model
 * says. Every failure reaches the caller: several at once come as one `VmmCoreError` whose cause
 * is an `AggregateError`.
 */
export class ResourceSystem implements AsyncDisposable {
  /** The ownership model every resource of this system follows. */
  readonly ownership: OwnershipModel;
  readonly #resources: Resource[] = [];
  readonly #members = new WeakSet<Resource>();
  readonly #spawner: ProcessSpawner;
  readonly #elevatedSpawner: ProcessSpawner | undefined;
  readonly #toolTimeoutMs: number;

  constructor(options: ResourceSystemOptions = {}) {
    const checked = parseWithSchema(resourceSystemOptionsSchema, options, 'options');
    this.ownership = checked.ownership;
    this.#spawner = checked.spawner ?? new DirectSpawner();
    this.#elevatedSpawner = checked.elevatedSpawner;
    this.#toolTimeoutMs = checked.toolTimeoutMs;
  }

  /** Every resource created here, in creation order. */
  get resources(): readonly Resource[] {
    return [...this.#resources];
  }

  /** Registers a resource at its initial (host) path; nothing is touched until `initialize`. */
  createResource(initialPath: string, type: ResourceType): Resource {
    const checked = parseWithSchema(createResourceSchema, { initialPath, type }, 'createResource');
    const resource = new Resource(checked.initialPath, checked.type);
    this.#resources.push(resource);
    this.#members.add(resource);
    return resource;
  }

  /**
   * Puts an uninitialised resource in place at its effective path (default: its initial path)
   * and records its virtual path (default: the effective path). On failure nothing is left behind
   * and the resource stays uninitialised.
   */
  async initialize(resource: Resource, options: InitializeResourceOptions = {}): Promise<void> {
    this.#checkMember(resource, 'initialize');
    const target = parseWithSchema(initializeOptionsSchema, options, 'initialize.options');
    const record = getResourceRecord(resource);
    if (record.state !== 'uninitialized') {
      throw createResourceStateError(resource, 'only an uninitialized resource can be initialised');
    }
    const effectivePath = target.effectivePath ?? resource.initialPath;
    record.state = 'initializing';
    try {
      record.applied = await initializeResource(
        resource,
        effectivePath,
        this.#contextFor(target.signal),
      );
    } catch (error) {
      record.state = 'uninitialized';
      throw error;
    }
    record.effectivePath = effectivePath;
    record.virtualPath = target.virtualPath ?? effectivePath;
    record.state = 'initialized';
  }

  /**
   * Initialises every uninitialised resource, each at the target `resolveTarget` gives it. It is
   * all or nothing: when one fails, those it initialised are undone, and the failures (with any
   * failure to undo) are thrown together.
   */
  async initializeAll(
    resolveTarget: (resource: Resource) => ResourceTarget = () => ({}),
    options?: ResourceCallOptions,
  ): Promise<void> {
    const { signal } = parseWithSchema(callOptionsSchema, options, 'initializeAll.options');
    parseWithSchema(resolverSchema, resolveTarget, 'initializeAll.resolveTarget');
    const pending = this.#resources.filter((resource) => resource.state === 'uninitialized');
    // Every target is checked before anything is written.
    const targets = pending.map((resource, index) => ({
      resource,
      target: parseWithSchema(
        targetSchema,
        resolveTarget(resource),
        `initializeAll.targets[${index}] (${resource.initialPath})`,
      ),
    }));
    const settled = await Promise.all(
      targets.map(async ({ resource, target }) => {
        try {
          await this.initialize(resource, {
            ...target,
            ...(signal === undefined ? {} : { signal }),
          });
          return { resource, error: undefined, failed: false };
        } catch (error) {
          return { resource, error, failed: true };
        }
      }),
    );
    const failures = settled.filter((result) => result.failed).map((result) => result.error);
    if (failures.length === 0) {
      return;
    }
    const undone = settled.filter((result) => !result.failed).map((result) => result.resource);
    const undoFailures = await this.#rollBack(undone);
    signal?.throwIfAborted();
    throw combineFailures([...failures, ...undoFailures], 'ERR_RESOURCE_CREATE', 'initialised');
  }

  /**
   * Removes what initialising put in place and nothing of the user's: a created, produced, copied
   * or hard-linked file is deleted at its effective path, a renamed one is moved back to its
   * initial path, and a resource used in place is left alone. Then the resource is disposed, and
   * the empty folders Kindling made for it that no resource needs any more are removed. Disposing
   * an uninitialised or disposed resource does nothing. When its file cannot be removed the
   * resource stays initialised, so disposing can be retried; a folder that cannot be removed is
   * reported after the resource is disposed.
   */
  async dispose(resource: Resource, options?: ResourceCallOptions): Promise<void> {
    this.#checkMember(resource, 'dispose');
    const { signal } = parseWithSchema(callOptionsSchema, options, 'dispose.options');
    await this.#undo(resource, 'disposed', signal);
  }

  /** Disposes every resource, all of them even when some fail; the failures are thrown together. */
  async disposeAll(options?: ResourceCallOptions): Promise<void> {
    const { signal } = parseWithSchema(callOptionsSchema, options, 'disposeAll.options');
    const settled = await Promise.allSettled(
      this.#resources.map((resource) => this.#undo(resource, 'disposed', signal)),
    );
    const failures = settled.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
    if (failures.length > 0) {
      throw combineFailures(failures, 'ERR_RESOURCE_DISPOSE', 'disposed');
    }
  }

  /** Disposes every resource, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.disposeAll();
  }

  #checkMember(resource: Resource, method: string): void {
    if (!(resource instanceof Resource) || !this.#members.has(resource)) {
      throw createForeignResourceError(resource, method);
    }
  }

  #contextFor(signal: AbortSignal | undefined): ResourceContext {
    return createResourceContext(
      {
        ownership: this.ownership,
        spawner: this.#spawner,
        elevatedSpawner: this.#elevatedSpawner,
        toolTimeoutMs: this.#toolTimeoutMs,
        maker: this,
      },
      signal,
    );
  }

  // Takes back what initialising did: `disposed` for good, or `uninitialized` to allow a retry.
  async #undo(
    resource: Resource,
    finalState: 'disposed' | 'uninitialized',
    signal?: AbortSignal,
  ): Promise<void> {
    const record = getResourceRecord(resource);
    if (record.state === 'disposed') {
      return;
    }
    if (record.state === 'uninitialized') {
      record.state = finalState;
      return;
    }
    if (record.state !== 'initialized') {
      throw createResourceStateError(resource, 'wait for that to finish before disposing of it');
    }
    const { applied, effectivePath } = record;
    if (applied === undefined || effectivePath === undefined) {
      throw new TypeError('an initialised resource has what it applied and its effective path');
    }
    record.state = 'disposing';
    const context = this.#contextFor(signal);
    try {
      await disposeResource(resource, applied, effectivePath, context);
    } catch (error) {
      record.state = 'initialized';
      throw error;
    }
    record.state = finalState;
    record.applied = undefined;
    record.effectivePath = undefined;
    record.virtualPath = undefined;
    // The file is gone, so the resource is disposed of even when a folder cannot be removed.
    await releaseResourceFolders(resource, applied, context);
  }

  async #rollBack(resources: readonly Resource[]): Promise<unknown[]> {
    const settled = await Promise.allSettled(
      resources.map((resource) => this.#undo(resource, 'uninitialized')),
    );
    return settled.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
  }
}
