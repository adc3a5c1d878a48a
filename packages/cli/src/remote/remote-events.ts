// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmEvent } from '@kindling/client';
import type { Output } from '../output.js';
import { connectServer, type ServerFlags } from './server-flags.js';

const describeEvent = (event: VmEvent): string =>
  `${event.at} ${event.id} ${event.previousState === undefined ? '' : `${event.previousState} → `}${event.state}${event.reason === undefined ? '' : ` (${event.reason})`}`;

/**
 * `events --server`: prints each change of the server's VMs (or of one) as it happens, one line
 * each (one JSON document per line with --json), until the server ends the stream or `signal`
 * aborts (Ctrl-C).
 */
export const followRemoteEvents = async (
  out: Output,
  flags: ServerFlags & { readonly server: string },
  vmId: string | undefined,
  signal: AbortSignal,
): Promise<void> => {
  await using client = await connectServer(flags);
  await using events = await client.events({ ...(vmId === undefined ? {} : { vmId }), signal });
  out.note(`Following ${vmId === undefined ? 'every VM' : `VM "${vmId}"`} on ${client.server}`);
  try {
    for await (const event of events) {
      out.io.stdout.write(`${out.json ? JSON.stringify(event) : describeEvent(event)}\n`);
    }
  } catch (error) {
    // Ctrl-C ends the command as the end of the stream does.
    if (!signal.aborted) {
      throw error;
    }
  }
};
