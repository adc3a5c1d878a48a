// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Whether the tests run as root (a jail then drops to another uid and makes device nodes). */
export const isRoot = process.getuid?.() === 0;
