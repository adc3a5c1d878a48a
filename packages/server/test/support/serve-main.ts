// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// A server as its own process, as `kindling serve` runs it, for the restart tests: its config as
// JSON in argv[2]; it prints its address once it listens.
import { serveUntilSignal } from '../../dist/index.js';

const signal = await serveUntilSignal(JSON.parse(process.argv[2] ?? '{}') as never, {
  onListening: (server) => {
    process.stdout.write(`${JSON.stringify({ address: server.address })}\n`);
  },
});
process.stdout.write(`${JSON.stringify({ stopped: signal })}\n`);
