// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { DirectSpawner } from '@kindling/spawner';
import {
  balloonArbitrary,
  bootSourceArbitrary,
  driveArbitrary,
  loggerArbitrary,
  machineConfigArbitrary,
  metricsArbitrary,
  mmdsConfigArbitrary,
  networkInterfaceArbitrary,
  vsockArbitrary,
  withFields,
  type GeneratedBody,
} from '@kindling/helpers/testing';
import { VmmProcess } from '@kindling/process';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import {
  ResourceSystem,
  balloonSchema,
  bootSourceSchema,
  driveSchema,
  loggerSchema,
  machineConfigurationSchema,
  metricsSchema,
  mmdsConfigSchema,
  networkInterfaceSchema,
  parseWithSchema,
  vsockSchema,
} from '@kindling/vmm-core';
import * as fc from 'fast-check';
import { type Arbitrary } from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVmHarness,
  isRealBackend,
  unrestricted,
  type VmHarness,
} from './support/vm-harness.js';

// Bodies drawn by fast-check from what the models accept, each parsed by its model, sent before
// boot to one Firecracker: every one must be accepted. On the fake unless KINDLING_FIRECRACKER
// names a real binary (then the real one), so the two can be held to the same bodies.
const BALLOON_MEMORY_MIB = 256;
const IFACE_ID = 'eth0';

interface BodyKind {
  readonly name: string;
  readonly count: number;
  readonly schema: Parameters<typeof parseWithSchema>[0];
  readonly arbitrary: Arbitrary<GeneratedBody>;
  /** The request path for a body (ids go in the path). */
  readonly path: (body: GeneratedBody) => string;
  /** Puts the harness's files and names in place of the placeholders. */
  readonly place: (
    body: GeneratedBody,
    index: number,
    harness: VmHarness,
  ) => Promise<GeneratedBody>;
}

const same = (body: GeneratedBody): Promise<GeneratedBody> => Promise.resolve(body);

// In the order they are sent: machine-config before the balloon (whose size it bounds), the
// interface before the MMDS config that names it.
const KINDS: readonly BodyKind[] = [
  {
    name: 'machine-config',
    count: 20,
    schema: machineConfigurationSchema,
    arbitrary: machineConfigArbitrary,
    path: () => '/machine-config',
    place: same,
  },
  {
    name: 'boot-source',
    count: 14,
    schema: bootSourceSchema,
    arbitrary: bootSourceArbitrary,
    path: () => '/boot-source',
    place: async (body, index, harness) => ({
      ...body,
      kernel_image_path: harness.kernelPath,
      ...('initrd_path' in body
        ? { initrd_path: await harness.writeUserFile(`bodies/initrd-${index}`) }
        : {}),
    }),
  },
  {
    // One id, replaced each time: a second root device under another id would be refused.
    name: 'drives',
    count: 14,
    schema: driveSchema,
    arbitrary: driveArbitrary.map((body) => withFields(body, { drive_id: 'probe' })),
    path: (body) => `/drives/${String(body['drive_id'])}`,
    place: (body, _index, harness) =>
      Promise.resolve({ ...body, path_on_host: harness.rootfsPath }),
  },
  {
    name: 'network-interfaces',
    count: 10,
    schema: networkInterfaceSchema,
    arbitrary: networkInterfaceArbitrary.map((body) => withFields(body, { iface_id: IFACE_ID })),
    path: (body) => `/network-interfaces/${String(body['iface_id'])}`,
    place: (body, _index, harness) =>
      Promise.resolve({ ...body, host_dev_name: harness.tap('tap0') }),
  },
  {
    name: 'vsock',
    count: 10,
    schema: vsockSchema,
    arbitrary: vsockArbitrary,
    path: () => '/vsock',
    place: (body, index, harness) =>
      Promise.resolve({ ...body, uds_path: harness.pathFor(`v${index}.sock`) }),
  },
  {
    name: 'balloon',
    count: 10,
    schema: balloonSchema,
    arbitrary: balloonArbitrary(BALLOON_MEMORY_MIB),
    path: () => '/balloon',
    place: same,
  },
  {
    name: 'mmds-config',
    count: 10,
    schema: mmdsConfigSchema,
    arbitrary: mmdsConfigArbitrary([IFACE_ID]),
    path: () => '/mmds/config',
    place: same,
  },
  {
    name: 'logger',
    count: 11,
    schema: loggerSchema,
    arbitrary: loggerArbitrary,
    path: () => '/logger',
    place: async (body, index, harness) =>
      'log_path' in body
        ? { ...body, log_path: await harness.writeUserFile(`bodies/log-${index}`, '') }
        : body,
  },
  {
    // Once: Firecracker refuses a second PUT /metrics ("Reinitialization of metrics not allowed").
    name: 'metrics',
    count: 1,
    schema: metricsSchema,
    arbitrary: metricsArbitrary,
    path: () => '/metrics',
    place: async (body, index, harness) => ({
      ...body,
      metrics_path: await harness.writeUserFile(`bodies/metrics-${index}`, ''),
    }),
  },
];

let harness: VmHarness;
let vmm: VmmProcess;
beforeAll(async () => {
  harness = await createVmHarness();
  const id = harness.nextId();
  const { executor } = unrestricted.create(harness, id);
  vmm = new VmmProcess({
    executor,
    context: {
      installation: harness.installation,
      spawner: new DirectSpawner(),
      resourceSystem: new ResourceSystem(),
    },
    socketWaitTimeoutMs: TEST_WAIT_MS,
    stateDir: false,
  });
  await vmm.prepare();
  await vmm.invoke();
});
afterAll(async () => {
  await vmm[Symbol.asyncDispose]();
  await harness.dispose();
});

describe(`configuration bodies drawn by fast-check, sent to one ${isRealBackend ? 'real' : 'fake'} Firecracker before boot`, () => {
  it('accepts every one the models parse (about 100, every kind)', async () => {
    const refused: string[] = [];
    let sent = 0;
    for (const kind of KINDS) {
      const bodies = fc.sample(kind.arbitrary, kind.count);
      for (const [index, generated] of bodies.entries()) {
        const body = parseWithSchema(
          kind.schema,
          await kind.place(generated, index, harness),
          kind.name,
        ) as GeneratedBody;
        const where = `PUT ${kind.path(body)}`;
        const outcome = await vmm.api
          .request('PUT', kind.path(body), body, { timeoutMs: TEST_WAIT_MS })
          .then(
            () => '',
            (error: unknown) => `${where} ${JSON.stringify(body)}: ${(error as Error).message}`,
          );
        refused.push(outcome);
        sent += 1;
      }
      // The balloon's size is bounded by the memory as it is when the balloon is put.
      await vmm.api.request('PUT', '/machine-config', {
        vcpu_count: 2,
        mem_size_mib: BALLOON_MEMORY_MIB,
      });
    }
    expect(sent).toBe(KINDS.reduce((total, kind) => total + kind.count, 0));
    expect(refused.filter((line) => line !== '')).toEqual([]);
  });

  it('refuses, as the models now do, a string with a lone surrogate (serde_json cannot read it)', async () => {
    const body = {
      drive_id: 'probe',
      is_root_device: false,
      path_on_host: harness.rootfsPath,
      partuuid: 'x\uD800',
    };
    expect(() => parseWithSchema(driveSchema, body, 'drive')).toThrow(
      /drive\.partuuid: expected a string without lone UTF-16 surrogates/u,
    );
    await expect(
      vmm.api.request('PUT', '/drives/probe', body, { timeoutMs: TEST_WAIT_MS }),
    ).rejects.toThrow(/400.*hex escape/u);
  });
});
