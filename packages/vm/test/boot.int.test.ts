// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants, existsSync, open as openFd } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { readJournal, type JournalRecord } from '@kindling/fake-vmm';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vm, type VmConfiguration } from '../src/index.js';
import {
  SETUPS,
  basicConfiguration,
  defined,
  createVmHarness,
  isRealBackend,
  listFiles,
  NEEDS_FAULT,
  NEEDS_GUEST,
  type ExecutorSetup,
  type VmHarness,
} from './support/vm-harness.js';

let harness: VmHarness;
beforeAll(async () => {
  harness = await createVmHarness();
});
afterAll(async () => {
  await harness.dispose();
});

// The fake appends a record once its response is written: wait for it with a bounded back-off.
const readJournalUntil = async (
  journalPath: string,
  predicate: (record: JournalRecord) => boolean,
): Promise<JournalRecord[]> => {
  const deadline = performance.now() + TEST_WAIT_MS;
  for (let delayMs = 1; ; delayMs = Math.min(delayMs * 2, 50)) {
    const records = await readJournal(journalPath);
    if (records.some(predicate) || performance.now() > deadline) {
      return records;
    }
    await delay(delayMs);
  }
};

// The body of the request a journal recorded for a route, parsed.
const bodyOfRoute = (records: readonly JournalRecord[], route: string): unknown =>
  JSON.parse(
    defined(records.find((record) => `${record.method} ${record.path}` === route)?.body, route),
  );

// Waits for a condition with a bounded back-off, for what nothing announces.
const until = async (condition: () => boolean): Promise<void> => {
  const deadline = performance.now() + TEST_WAIT_MS;
  for (let delayMs = 1; !condition(); delayMs = Math.min(delayMs * 2, 50)) {
    if (performance.now() > deadline) {
      throw new Error(`the condition did not hold within ${TEST_WAIT_MS} ms`);
    }
    await delay(delayMs);
  }
};

// Reads a FIFO without blocking a thread of libuv's pool: a non-blocking fd in a net.Socket.
// Bounded: a line that never comes fails with what was read, not with the test's timeout.
const readFifoLine = async (
  fifo: string,
  predicate: (line: string) => boolean,
): Promise<string> => {
  // A raw fd, not a FileHandle: the socket owns it and closes it.
  const fd = await new Promise<number>((resolve, reject) => {
    openFd(fifo, constants.O_RDONLY | constants.O_NONBLOCK, (error, opened) =>
      error === null ? resolve(opened) : reject(error),
    );
  });
  const socket = new Socket({ fd, readable: true, writable: false });
  let buffered = '';
  const timer = setTimeout(() => {
    socket.destroy(
      new Error(
        `${fifo}: no expected line within ${TEST_WAIT_MS} ms; unfinished: ${JSON.stringify(buffered)}`,
      ),
    );
  }, TEST_WAIT_MS);
  try {
    for await (const chunk of socket) {
      buffered += String(chunk);
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const found = lines.find(predicate);
      if (found !== undefined) {
        return found;
      }
    }
    throw new Error(`${fifo} closed before the expected line`);
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
};

const outputsConfiguration = (name: string, fifo: boolean): VmConfiguration => ({
  ...basicConfiguration(harness),
  logger: { log_path: harness.pathFor(`${name}/fc.log`), level: 'Info', show_level: true },
  metrics: { metrics_path: harness.pathFor(`${name}/fc.metrics`) },
  serial: { serial_out_path: harness.pathFor(`${name}/serial.out`) },
  ...(fifo ? { fifos: { logger: true, metrics: true, serial: true } } : {}),
});

describe.each(SETUPS)('booting, $name', (setup: ExecutorSetup) => {
  const { tag } = setup;

  it.skipIf(isRealBackend)(
    `boots through API calls in Firecracker’s order, telling it the paths it sees ${NEEDS_FAULT}`,
    async () => {
      const journalPath = harness.pathFor(`${tag}-journal.ndjson`);
      // The jailed fake writes the journal as the jail's user.
      await writeFile(journalPath, '');
      await chmod(journalPath, 0o666);
      const journaled = await createVmHarness({ journalPath });
      try {
        const vm = await journaled.prepare(setup, {
          ...basicConfiguration(journaled),
          logger: { log_path: journaled.pathFor('logs/fc.log') },
          networkInterfaces: [{ iface_id: 'eth0', host_dev_name: 'tap0' }],
          vsock: { guest_cid: 3, uds_path: journaled.pathFor('sockets/v.sock') },
          balloon: { amount_mib: 8, deflate_on_oom: true },
          mmdsConfig: { version: 'V2', network_interfaces: ['eth0'] },
          mmds: { a: 1 },
          entropy: {},
        });
        await vm.start();
        expect(vm.state).toBe('running');
        const records = await readJournalUntil(journalPath, (record) => record.path === '/actions');
        expect(records.map((record) => `${record.method} ${record.path}`)).toEqual([
          'PUT /logger',
          'PUT /machine-config',
          'PUT /boot-source',
          'PUT /drives/rootfs',
          'PUT /network-interfaces/eth0',
          'PUT /vsock',
          'PUT /balloon',
          'PUT /mmds',
          'PUT /mmds/config',
          'PUT /entropy',
          'PUT /actions',
        ]);
        const bodyOf = (route: string): unknown => bodyOfRoute(records, route);
        expect(bodyOf('PUT /drives/rootfs')).toEqual({
          drive_id: 'rootfs',
          is_root_device: true,
          is_read_only: true,
          path_on_host: setup.seenPath(journaled.rootfsPath),
        });
        expect(bodyOf('PUT /logger')).toEqual({ log_path: journaled.pathFor('logs/fc.log') });
        expect(bodyOf('PUT /actions')).toEqual({ action_type: 'InstanceStart' });
        expect(records.map((record) => record.status)).toEqual(records.map(() => 204));
        await vm.shutdown();
        await vm.cleanup();
      } finally {
        await journaled.dispose();
      }
    },
  );

  it('boots from a config file written where Firecracker reads it, without nulls', async () => {
    const configFilePath = harness.pathFor(`${tag}-config/vm.json`);
    const tap = harness.tap('tap0');
    const vm = await harness.prepare(setup, {
      ...basicConfiguration(harness),
      kind: 'new-via-config-file',
      configFilePath,
      balloon: null,
      networkInterfaces: [{ iface_id: 'eth0', host_dev_name: tap, guest_mac: null }],
      metrics: { metrics_path: harness.pathFor(`${tag}-config/fc.metrics`) },
    } as unknown as VmConfiguration);
    await vm.start();
    expect(vm.state).toBe('running');
    const written = await readFile(vm.resolveEffectivePath(configFilePath), 'utf8');
    expect(written).not.toContain('null');
    expect(JSON.parse(written)).toEqual({
      metrics: { metrics_path: harness.pathFor(`${tag}-config/fc.metrics`) },
      'machine-config': { vcpu_count: 1, mem_size_mib: 128 },
      'boot-source': {
        kernel_image_path: setup.seenPath(harness.kernelPath),
        boot_args: 'console=ttyS0 reboot=k panic=1',
      },
      drives: [
        {
          drive_id: 'rootfs',
          is_root_device: true,
          is_read_only: true,
          path_on_host: setup.seenPath(harness.rootfsPath),
        },
      ],
      'network-interfaces': [{ iface_id: 'eth0', host_dev_name: tap }],
    });
    expect((await vm.getVmConfig())['network-interfaces']).toEqual([
      expect.objectContaining({ iface_id: 'eth0' }),
    ]);
    await expect(vm.putMachineConfig({ vcpu_count: 2, mem_size_mib: 128 })).rejects.toMatchObject({
      code: 'ERR_WRONG_STATE',
    });
    await vm.shutdown();
    await vm.cleanup();
    expect(existsSync(vm.resolveEffectivePath(configFilePath))).toBe(false);
  });

  it.skipIf(isRealBackend)(
    `writes logs, metrics and serial output to files ${NEEDS_GUEST}`,
    async () => {
      const name = `${tag}-files`;
      const vm = await harness.prepare(setup, outputsConfiguration(name, false));
      await vm.start();
      await vm.flushMetrics();
      const log = await readFile(
        vm.resolveEffectivePath(harness.pathFor(`${name}/fc.log`)),
        'utf8',
      );
      expect(log).toMatch(/:INFO\]/u);
      const metrics = await readFile(
        vm.resolveEffectivePath(harness.pathFor(`${name}/fc.metrics`)),
        'utf8',
      );
      expect(JSON.parse(defined(metrics.trim().split('\n').at(-1)))).toHaveProperty(
        'utc_timestamp_ms',
      );
      const serialFile = vm.resolveEffectivePath(harness.pathFor(`${name}/serial.out`));
      await vm.shutdown([{ method: 'ctrl-alt-del' }]);
      expect(await readFile(serialFile, 'utf8')).toContain('reboot: Restarting system');
      const files = [`${name}/fc.log`, `${name}/fc.metrics`, `${name}/serial.out`].map((file) =>
        vm.resolveEffectivePath(harness.pathFor(file)),
      );
      await vm.cleanup();
      expect(files.filter((file) => existsSync(file))).toEqual([]);
    },
  );

  it.skipIf(isRealBackend)(
    `writes logs, metrics and serial output to FIFOs ${NEEDS_GUEST}`,
    async () => {
      const name = `${tag}-fifos`;
      const vm = await harness.prepare(setup, outputsConfiguration(name, true));
      const fifo = (file: string): string =>
        vm.resolveEffectivePath(harness.pathFor(`${name}/${file}`));
      await vm.start();
      const logLine = readFifoLine(fifo('fc.log'), (line) => line.includes(':INFO]'));
      const metricsLine = readFifoLine(fifo('fc.metrics'), (line) => line.startsWith('{'));
      const waitOptions = { timeoutMs: TEST_WAIT_MS };
      const serialLine = vm.waitForSerialLine('Restarting system', waitOptions);
      await vm.flushMetrics();
      expect(await logLine).toMatch(/:INFO\]/u);
      expect(JSON.parse(await metricsLine)).toHaveProperty('utc_timestamp_ms');
      // A line of the boot log, kept in the FIFO, shows that the serial reader is open: the
      // reboot line written next cannot be lost to a reader that opens after Firecracker exits.
      await vm.waitForSerialLine('Linux version', waitOptions);
      await vm.shutdown([{ method: 'ctrl-alt-del' }]);
      expect(await serialLine).toContain('reboot: Restarting system');
      await vm.cleanup();
      expect(existsSync(fifo('fc.log'))).toBe(false);
    },
  );

  it('refuses a bad configuration before anything is written or spawned', async () => {
    const before = await listFiles(harness.pathFor('jail'));
    await expect(
      harness.prepare(setup, {
        ...basicConfiguration(harness),
        logger: { log_path: harness.pathFor(`${tag}-never/fc.log`), level: 'Loud' },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringContaining('configuration.logger.level'),
    });
    expect(await listFiles(harness.pathFor('jail'))).toEqual(before);
    expect(existsSync(harness.pathFor(`${tag}-never`))).toBe(false);
  });

  it('kills Firecracker and throws ERR_START_FAILED when a configuration call is refused', async () => {
    // --metrics-path already set up the metrics system, so Firecracker refuses PUT /metrics.
    const { executor, ownership } = setup.create(harness, harness.nextId(), {
      metricsPath: setup.seenPath(harness.pathFor(`${tag}-flag.metrics`)),
    });
    const vm = harness.track(
      await Vm.prepare({
        executor,
        ownership,
        installation: harness.installation,
        configuration: {
          ...basicConfiguration(harness),
          metrics: { metrics_path: harness.pathFor(`${tag}-refused/fc.metrics`) },
        },
        stateDir: false,
        socketWaitTimeoutMs: TEST_WAIT_MS,
      }),
    );
    const error = await vm.start().catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'ERR_START_FAILED',
      message: expect.stringMatching(
        /^vm\.start\(\): Firecracker rejected PUT \/metrics with 400: .*Reinitialization of metrics not allowed.*; /u,
      ),
    });
    expect((error as Error).message).toContain(`; ${setup.killedWords}`);
    expect(vm.state).toBe('exited');
    await expect(vm.start()).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
    await vm.cleanup();
  });
});

describe.skipIf(isRealBackend).each(SETUPS)(
  `a start that cannot succeed, $name ${NEEDS_FAULT}`,
  (setup: ExecutorSetup) => {
    let slow: VmHarness;
    let broken: VmHarness;
    beforeAll(async () => {
      [slow, broken] = await Promise.all([
        createVmHarness({ socketDelayMs: 10_000 }),
        createVmHarness({ exitRules: [{ point: 'startup', outcome: { exitCode: 1 } }] }),
      ]);
    });
    afterAll(async () => {
      await Promise.all([slow.dispose(), broken.dispose()]);
    });

    it.concurrent(
      'stops at an abort, kills the process, and is exited rather than crashed',
      async () => {
        const vm = await slow.prepare(setup, basicConfiguration(slow));
        const reason = new Error('the caller gave up');
        const controller = new AbortController();
        const started = vm.start({ signal: controller.signal });
        // Abort while start() waits for the socket: once the process is there.
        await until(() => vm.pid !== undefined);
        controller.abort(reason);
        await expect(started).rejects.toBe(reason);
        expect(vm.state).toBe('exited');
        await vm.cleanup();
      },
    );

    it.concurrent('gives up when the socket does not appear in time', async () => {
      const vm = await slow.prepare(setup, basicConfiguration(slow));
      await expect(vm.start({ socketWaitTimeoutMs: 200 })).rejects.toMatchObject({
        code: 'ERR_START_FAILED',
        cause: { code: 'ERR_SOCKET_WAIT_TIMEOUT' },
      });
      expect(vm.state).toBe('exited');
      await vm.cleanup();
    });

    it.concurrent('is crashed when Firecracker dies before its socket appears', async () => {
      const vm = await broken.prepare(setup, basicConfiguration(broken));
      await expect(vm.start()).rejects.toMatchObject({
        code: 'ERR_START_FAILED',
        message: expect.stringContaining('Firecracker did not come up'),
        cause: { code: 'ERR_SOCKET_WAIT_EXITED' },
      });
      expect(vm.state).toBe('crashed');
      await vm.cleanup();
    });
  },
);
