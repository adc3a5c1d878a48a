// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { definePackageBuild } from '../../tooling/tsup.preset.ts';

// The bin keeps its `#!/usr/bin/env node` line; tsup marks an output that starts with one 0755.
export default definePackageBuild({
  entry: ['src/index.ts', 'src/bin/kindling.ts'],
  dts: { entry: 'src/index.ts', resolve: ['@kindling/helpers'] },
});
