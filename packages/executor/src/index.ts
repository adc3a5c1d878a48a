// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The error every executor operation throws, and its stable codes. */
export { ExecutorError, type ExecutorErrorCode } from './errors.js';
/** The handle of a running VMM process, and how it ended. */
export type { ProcessHandle, ProcessHandleExit } from './process-handle.js';
/** Makes a `ProcessHandle` of a spawned child: exact exit status, piped streams. */
export { wrapChildProcess } from './child-process-handle.js';
/** Makes a `ProcessHandle` of a pid that is not our child, watched through `/proc/<pid>/stat`. */
export { watchPid, type WatchPidOptions } from './pid-process-handle.js';
/** Reads the start time that, with the pid, identifies a running process; whether one still runs. */
export { isProcessRunningSync, readProcessStartTime } from './proc-stat.js';
/** What `ProcessHandle.wait` takes, and how long it waits when no `timeoutMs` is given. */
export { DEFAULT_WAIT_TIMEOUT_MS, type ProcessWaitOptions } from './wait-for-exit.js';
/** How moved resources are placed in the jail, and the default flat placement. */
export { resolveFlatVirtualPath, type VirtualPathResolver } from './virtual-path-resolver.js';
/** The executor plug point, its context and the options of its hooks. */
export type {
  VmmExecutor,
  VmmExecutorContext,
  VmmExecutorInvokeOptions,
  VmmExecutorStepOptions,
} from './vmm-executor.js';
/** Runs `firecracker` directly, every path as given. */
export { UnrestrictedExecutor, type UnrestrictedExecutorOptions } from './unrestricted-executor.js';
/** Runs Firecracker under the jailer, with every resource put inside the jail. */
export { JailedExecutor } from './jailed-executor.js';
/** The options of `JailedExecutor`, and how long it waits for a daemonized Firecracker's pid. */
export {
  DEFAULT_PID_FILE_TIMEOUT_MS,
  type JailedExecutorOptions,
  type ResolvedJailedExecutorOptions,
} from './jailed-executor-options.js';
/** The options both executors share, and what they become after checks. */
export type { CommonExecutorOptions, ResolvedCommonExecutorOptions } from './executor-options.js';
/**
 * Where Firecracker puts its API socket when `--api-sock` is not given (a jailed VM's default,
 * inside its jail), and where an unrestricted VM's goes instead: a private, per-VM path.
 */
export { DEFAULT_API_SOCKET, defaultApiSocketFolder, defaultApiSocketPath } from './api-socket.js';
/** Memory and CPU limits for a VMM, and the cgroup files that enforce them under v1 or v2. */
export {
  CPU_PERIOD_US,
  cgroupFilesForLimits,
  parseResourceLimits,
  type CgroupVersion,
  type ResourceLimits,
} from './resource-limits.js';
/** Which cgroup version the host (or a stand-in cgroup root) has, from `/proc/self/mounts`. */
export { detectCgroupVersion } from './cgroup-version.js';
/** What a VMM's cgroups say about the memory, CPU time and processes it uses. */
export type { ResourceUsage } from './resource-usage.js';
/** Removes cgroup folders the way cgroupfs allows (rmdir, EBUSY retried briefly). */
export { removeCgroupDirs, type CgroupRemoval } from './jail-cgroups.js';
/** Where the jailer puts its chroot when `--chroot-base-dir` is not given. */
export { DEFAULT_CHROOT_BASE_DIR } from './jail-paths.js';
