// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'tsup';

/** The guest agent (xtask/guest/agent/main.ts) and the fake-vmm services it imports, as one script. */
export const bundleGuestAgent = async (root: string, outDir: string): Promise<Buffer> => {
  await build({
    entry: { agent: path.join(root, 'xtask', 'guest', 'agent', 'main.ts') },
    format: ['esm'],
    platform: 'node',
    target: 'node22',
    outDir,
    splitting: false,
    dts: false,
    sourcemap: false,
    silent: true,
    config: false,
    noExternal: [/.*/u],
    outExtension: () => ({ js: '.mjs' }),
  });
  return readFile(path.join(outDir, 'agent.mjs'));
};
