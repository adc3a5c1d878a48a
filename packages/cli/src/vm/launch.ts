// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { CliContext } from '../context.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { Output } from '../output.js';
import { runStep } from '../progress.js';
import type { LaunchSpec } from './launch-spec.js';
import { runAttached } from './run-attached.js';
import { runDetached } from './run-detached.js';

/** Starts a resolved spec attached or detached, printing the detached VM's record. */
export const launch = async (context: CliContext, out: Output, spec: LaunchSpec) => {
  if (!spec.detached) {
    return runAttached(context, out, spec);
  }
  const record = await runStep(out, `Starting VM "${spec.name}" in the background`, () =>
    runDetached(context, spec),
  );
  out.data(record, () =>
    [
      `${record.name} running (Firecracker pid ${record.vmm.pid}, API ${record.socketPath})`,
      `stop it with: kindling stop ${record.name}`,
    ].join('\n'),
  );
  return EXIT_CODES.ok;
};
