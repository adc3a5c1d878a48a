// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Links: when one VM crashes (or ends), its linked VMs are shut down; moved on a restore. */
export {
  link,
  replaceInLinks,
  VmLink,
  type LinkableVm,
  type LinkPropagateEvent,
  type LinkPropagation,
  type LinkTrigger,
  type VmLinkOptions,
} from './link.js';
/** An OTP-style supervisor of VMs: strategies, restart intensity, restarts from a snapshot. */
export { Supervisor, type SupervisorState } from './supervisor.js';
/** What a `Supervisor` takes: its strategy, limits and children. */
export type {
  ChildRestart,
  ChildSpec,
  ChildStartContext,
  RestartStrategy,
  SupervisorOptions,
} from './supervisor-options.js';
/** A `Supervisor`'s events, their details, and how it ended. */
export type {
  ChildEnd,
  ChildRestartDetail,
  ChildRestartFailure,
  ChildShutdownFailure,
  GiveUpDetail,
  SupervisorEnd,
  SupervisorEventMap,
  SupervisorEventType,
} from './supervisor-events.js';
/** The error every call throws, with a stable `code`. */
export { SupervisorError, type SupervisorErrorCode } from './errors.js';
