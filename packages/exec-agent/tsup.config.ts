// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { definePackageBuild } from '../../tooling/tsup.preset.ts';

// Two entry points (the agent and the protocol the host imports) and the agent's bin, which keeps
// its `#!/usr/bin/env node` line; tsup marks an output that starts with one 0755.
export default definePackageBuild({
  entry: {
    index: 'src/index.ts',
    'protocol/index': 'src/protocol/index.ts',
    'bin/kindling-exec-agent': 'src/bin/kindling-exec-agent.ts',
  },
  dts: {
    entry: { index: 'src/index.ts', 'protocol/index': 'src/protocol/index.ts' },
    resolve: ['@kindling/helpers'],
  },
});
