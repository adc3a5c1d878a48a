// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The kinds of resource (created, moved, produced), the move methods, and their schema. */
export {
  resourceTypeSchema,
  type CreatedFileType,
  type MoveMethod,
  type ResourceType,
} from './resource-type.js';
/** A file a VMM uses, with its initial, effective and virtual paths and its state. */
export { Resource, type ResourceState } from './resource.js';
/** Tracks a VMM's resources: creates, initialises (puts in place) and disposes of them. */
export { ResourceSystem } from './resource-system.js';
/** The options of a `ResourceSystem` and of its calls. */
export type {
  InitializeResourceOptions,
  ResourceCallOptions,
  ResourceSystemOptions,
  ResourceTarget,
} from './resource-system-options.js';
/** What disposing of resources would do, as data, and its synchronous carrying out. */
export { planDisposal } from './plan-disposal.js';
export {
  carryOutDisposalPlan,
  disposalPlanSchema,
  EMPTY_DISPOSAL_PLAN,
  type DisposalOutcome,
  type DisposalPlan,
} from './disposal-plan.js';
