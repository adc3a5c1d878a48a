// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FakeSwitches } from '@kindling/fake-vmm';

// A VM on the fake makes 7 requests to boot (metrics, serial, machine-config, boot-source,
// network-interfaces, vsock, InstanceStart), then in its use 5 more (GET machine-config, GET /,
// FlushMetrics, pause, resume) before vsock: exits after 4 and 12 land in the boot and the use.

/**
 * The fault profiles of the soak, each a fake installation: Firecracker exits at start-up, is
 * killed before InstanceStart or exits after some requests; the API answers slowly, stalls or
 * drops a connection; the socket comes late; the guest ignores Ctrl+Alt+Del; or nothing.
 */
export const SOAK_PROFILES: Readonly<Record<string, FakeSwitches>> = {
  clean: {},
  'exit-at-startup': { exitRules: [{ point: 'startup', outcome: { exitCode: 1 } }] },
  'killed-before-instance-start': {
    exitRules: [{ point: 'before-instance-start', outcome: { signal: 'SIGKILL' } }],
  },
  'exit-after-4-requests': {
    exitRules: [{ point: 'after-requests', afterRequests: 4, outcome: { exitCode: 1 } }],
  },
  'exit-after-12-requests': {
    exitRules: [{ point: 'after-requests', afterRequests: 12, outcome: { exitCode: 1 } }],
  },
  'slow-api': {
    responseFaults: [{ method: '*', path: '*', action: { kind: 'delay', delayMs: 100 } }],
  },
  'stalled-boot-source': {
    responseFaults: [{ method: 'PUT', path: '/boot-source', action: { kind: 'stall' } }],
  },
  'stalled-machine-config-get': {
    responseFaults: [{ method: 'GET', path: '/machine-config', action: { kind: 'stall' } }],
  },
  'dropped-pause': {
    responseFaults: [{ method: 'PATCH', path: '/vm', action: { kind: 'drop' }, nth: 1 }],
  },
  'late-socket': { socketDelayMs: 1_500 },
  'ignores-ctrl-alt-del': { ctrlAltDel: { kind: 'ignore' } },
};

/** The profiles whose VMs must succeed (unless killed from outside): no fault, or one it rides out. */
export const HARMLESS_PROFILES: ReadonlySet<string> = new Set([
  'clean',
  'slow-api',
  'late-socket',
  'ignores-ctrl-alt-del',
]);
