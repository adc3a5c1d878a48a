#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// kindling-exec-agent [--root <folder>] [<listen>]: serves the exec protocol on a Unix socket
// (a vsock bridge forwards guest port 10000 to it) or a TCP address, until SIGTERM or SIGINT.
import process from 'node:process';
import { parseArgs } from 'node:util';
import { startExecAgent } from '../agent/start-exec-agent.js';

const { values, positionals } = parseArgs({
  options: { root: { type: 'string', default: '/' } },
  allowPositionals: true,
});
const agent = await startExecAgent({
  listen: positionals[0] ?? '/run/kindling/exec.sock',
  root: values.root,
});
process.stdout.write(`kindling-exec-agent listening on ${agent.address}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void agent.close());
}
