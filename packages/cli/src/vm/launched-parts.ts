// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { readProcessStartTime } from '@kindling/executor';
import type { Vm } from '@kindling/vm';
import { CliError } from '../errors.js';
import type { VmRecord } from '../host/vm-records.js';

// Firecracker's stdout is the serial console: kept in the VM's folder for `kindling logs`.
export const keepOutput = (
  stream: Readable | null,
  file: string,
  also?: (chunk: Buffer) => void,
): void => {
  if (stream === null) {
    return;
  }
  const sink = createWriteStream(file, { flags: 'a', mode: 0o600 });
  stream.on('data', (chunk: Buffer) => {
    sink.write(chunk);
    also?.(chunk);
  });
  stream.once('end', () => sink.end());
};

export const describeVmm = async (vm: Vm): Promise<VmRecord['vmm']> => {
  const pid = vm.pid;
  const startTime = pid === undefined ? undefined : await readProcessStartTime(pid);
  if (pid === undefined || startTime === undefined) {
    throw new CliError('ERR_SUPERVISOR_FAILED', 'Firecracker ended as soon as it started');
  }
  return { pid, startTime };
};
