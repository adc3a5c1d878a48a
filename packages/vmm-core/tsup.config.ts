// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { definePackageBuild } from '../../tooling/tsup.preset.ts';

// `./flags` is the flag tables alone, without zod or undici, for tools whose start-up time counts.
export default definePackageBuild({
  entry: { index: 'src/index.ts', flags: 'src/arguments/flags.ts' },
});
