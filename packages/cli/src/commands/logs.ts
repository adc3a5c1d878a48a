// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { open, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { isAlive } from '../host/liveness.js';
import { requireVmRecord, type VmRecord } from '../host/vm-records.js';
import { defineAction, type ExitBox } from './command-kit.js';

const FOLLOW_POLL_MS = 200;

// Prints what the serial log gains until the VM's owner is gone (it removes the log then).
const follow = async (
  record: VmRecord,
  from: number,
  write: (chunk: Buffer) => void,
): Promise<void> => {
  let offset = from;
  const file = await open(record.serialPath, 'r');
  try {
    while (await isAlive(record.owner)) {
      const { bytesRead, buffer } = await file.read({ position: offset });
      if (bytesRead === 0) {
        await sleep(FOLLOW_POLL_MS);
        continue;
      }
      offset += bytesRead;
      write(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
};

/** `kindling logs <name>`: the VM's serial console so far, and with --follow, as it comes. */
export const registerLogs = (program: Command, context: CliContext, box: ExitBox): void => {
  program
    .command('logs <name>')
    .description("print a VM's serial console output")
    .option('-f, --follow', 'keep printing until the VM ends')
    .option('--json', 'print {"name","serial"} as JSON (without --follow)')
    .action(
      defineAction<{ follow?: boolean }, [string]>(context, box, async ({ out, options }, name) => {
        const record = await requireVmRecord(context.paths, name);
        const serial = await readFile(record.serialPath);
        if (out.json) {
          out.data({ name, serial: serial.toString('utf8') }, () => '');
          return;
        }
        context.io.stdout.write(serial);
        if (options.follow === true) {
          await follow(record, serial.length, (chunk) => context.io.stdout.write(chunk));
        }
      }),
    );
};
