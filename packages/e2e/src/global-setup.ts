// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Probes once per run whether a real Firecracker can run the guest here, for every scenario file.
import { resolveTestBackend } from '@kindling/fake-vmm';
import type { TestProject } from 'vitest/node';
import { guestOf } from './guest-of.ts';
import { probeKvm } from './kvm-probe.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why no VM can run on this run's backend, or null when one can. */
    noUsableKvm: string | null;
  }
}

// vitest calls a global set-up module's `setup` export.
export const setup = async (project: TestProject): Promise<void> => {
  const backend = resolveTestBackend();
  const guest = guestOf(backend);
  const reason =
    backend.kind === 'real' && guest !== undefined
      ? await probeKvm(backend.firecrackerPath, guest)
      : undefined;
  project.provide('noUsableKvm', reason ?? null);
};
