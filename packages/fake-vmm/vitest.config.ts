// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { definePackageTests } from '../../tooling/vitest.preset.ts';

// A real Firecracker opens real host devices (the fidelity suite's `tap0`): two files at once would
// find it busy, so against real binaries the files run one after another.
export default definePackageTests({
  fileParallelism: (process.env['KINDLING_FIRECRACKER'] ?? '') === '',
});
