// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// A writer that dies mid-line, as a Firecracker killed while flushing: opens the metrics path the
// way Firecracker does (O_RDWR | O_NONBLOCK | O_CREAT, no truncation), writes whole lines, then
// the first part of one more, says so on stdout, and waits to be killed.
// Usage: node torn-writer.ts <path> <whole lines> <bytes of the torn line>

import { constants, openSync, writeSync } from 'node:fs';
import { metricsLine } from './metrics-line.ts';

const [target = '', lines = '1', tornBytes = '40'] = process.argv.slice(2);
const fd = openSync(target, constants.O_RDWR | constants.O_NONBLOCK | constants.O_CREAT, 0o600);
for (let n = 1; n <= Number(lines); n += 1) {
  writeSync(fd, metricsLine(n));
}
writeSync(fd, metricsLine(Number(lines) + 1).slice(0, Number(tornBytes)));
process.stdout.write('written\n');
setInterval(() => {}, 60_000);
