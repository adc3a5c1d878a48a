// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Kindling's small shared helpers. Private: each package that uses them bundles them (tsup
// `noExternal`), so no published package depends on this one.

export { describeUnknownKey, findClosestKey } from './closest-key.js';
export { createDeadline, raceSignal, runWithDeadline } from './deadline.js';
export type { Deadline, DeadlineOptions } from './deadline.js';
export { describeValue } from './describe-value.js';
export { createInputParser, describeIssues, describePath, parseInput } from './parse-input.js';
export type { InputErrorFactory, InputParser } from './parse-input.js';
export { pollUntil } from './poll-until.js';
export type { BackOff, PollUntilOptions } from './poll-until.js';
export { canConnect, waitUntilConnectable } from './socket-probe.js';
export { MAX_TIMER_MS } from './timer-limit.js';
export { ensurePrivateFolder, kindlingTempFolder } from './private-folder.js';
