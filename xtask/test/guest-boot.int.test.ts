// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The test guest boots and serves: under QEMU's microvm machine with software emulation, since
// this is what every CI machine can run (no KVM needed).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGuest, type GuestArtifacts } from '../src/guest/build-guest.ts';
import { DATA_DRIVE_LABEL } from '../src/guest/data-drive.ts';
import { bootUnderQemu, ensureQemu, hasVhostVsock } from '../src/guest/qemu.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
// A whole boot in software emulation (about 20 s here, the 47 MiB initrd's unpacking most of it),
// and a first build that downloads ~80 MB: far beyond a process start's bound.
const BUILD_WAIT_MS = 600_000;
const BOOT_WAIT_MS = 300_000;
const ANSWER_WAIT_MS = 120_000;

const VSOCK_DEVICE = hasVhostVsock
  ? 'with a vhost-vsock device'
  : 'without a vsock device (this host has no /dev/vhost-vsock): over the guest-local transport';

let guest: GuestArtifacts;
let vm: ChildProcessWithoutNullStreams;
let serial = '';

const waitForSerial = (pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> =>
  new Promise((resolve, reject) => {
    const check = (): void => {
      const match = pattern.exec(serial);
      if (match !== null) {
        cleanup();
        resolve(match);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `no ${pattern} on the serial console within ${timeoutMs} ms:\n${serial.slice(-3000)}`,
        ),
      );
    }, timeoutMs);
    const exited = (): void => {
      cleanup();
      reject(new Error(`QEMU exited before ${pattern}:\n${serial.slice(-3000)}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      vm.stdout.off('data', check);
      vm.off('exit', exited);
    };
    vm.stdout.on('data', check);
    vm.once('exit', exited);
    check();
  });

beforeAll(async () => {
  const qemu = await ensureQemu();
  guest = await buildGuest(root);
  vm = bootUnderQemu(qemu, guest);
  vm.stdout.setEncoding('utf8');
  vm.stderr.setEncoding('utf8');
  vm.stdout.on('data', (chunk: string) => {
    serial += chunk;
  });
  vm.stderr.on('data', (chunk: string) => {
    serial += chunk;
  });
}, BUILD_WAIT_MS);

afterAll(async () => {
  if (vm.exitCode === null && vm.signalCode === null) {
    const exited = once(vm, 'exit');
    vm.kill('SIGKILL');
    await exited;
  }
});

describe('the test guest under QEMU (microvm, ACPI, TCG)', () => {
  it(
    'boots to its ready marker',
    async () => {
      await waitForSerial(/^kindling-guest: ready\r?$/mu, BOOT_WAIT_MS);
      expect(serial).toContain('Run /init as init process');
    },
    BOOT_WAIT_MS,
  );

  it(
    'finds the ext4 data drive on virtio-mmio through ACPI',
    async () => {
      const [, size, label] = await waitForSerial(
        /kindling-guest: drive vda (\d+) bytes label=(\S+)/u,
        BOOT_WAIT_MS,
      );
      expect({ size: Number(size), label }).toEqual({
        size: guest.sizes.dataDrive,
        label: DATA_DRIVE_LABEL,
      });
    },
    BOOT_WAIT_MS,
  );

  it(
    'configures eth0 from the ip= argument',
    async () => {
      await expect(
        waitForSerial(/kindling-guest: network eth0 (\S+)/u, BOOT_WAIT_MS),
      ).resolves.toContain('10.0.2.15');
    },
    BOOT_WAIT_MS,
  );

  it(
    `serves vsock echo and HTTP ${VSOCK_DEVICE}`,
    async () => {
      await waitForSerial(/^kindling-guest: ready\r?$/mu, BOOT_WAIT_MS);
      vm.stdin.write('kindling-selftest\n');
      const [, echoed] = await waitForSerial(/kindling-selftest: echo (.*?)\r?\n/u, ANSWER_WAIT_MS);
      const [, pinged] = await waitForSerial(/kindling-selftest: ping (.*?)\r?\n/u, ANSWER_WAIT_MS);
      expect({ echoed, pinged }).toEqual({
        echoed: 'hello vsock',
        pinged: '{"c":42}',
      });
    },
    BOOT_WAIT_MS,
  );

  it(
    `answers exec and files through the exec agent on vsock port 10000 ${VSOCK_DEVICE}`,
    async () => {
      await waitForSerial(/^kindling-guest: ready\r?$/mu, BOOT_WAIT_MS);
      // The guest asks its own agent through vsock with the protocol's host-side code (Node has
      // no AF_VSOCK on this host either): an exec, one on a terminal, a push and its pull.
      vm.stdin.write('/usr/bin/node /opt/kindling/agent.mjs exec-selftest\n');
      const [, report = ''] = await waitForSerial(
        /kindling-selftest: exec (\{.*\})\r?\n/u,
        ANSWER_WAIT_MS,
      );
      const transfer = { entries: 3, bytes: 18 };
      expect(JSON.parse(report)).toEqual({
        protocol: 1,
        uname: 'Linux',
        exit: { exitCode: 0, signal: null, timedOut: false },
        tty: [expect.stringMatching(/^\/dev\/pts\/\d+$/u), '20 90'],
        pushed: transfer,
        pulled: transfer,
        mode: '751',
        content: '#!/bin/sh\necho hi\n',
      });
    },
    BOOT_WAIT_MS,
  );

  it(
    "reboots on Ctrl-Alt-Del's signal to init, and QEMU exits (-no-reboot)",
    async () => {
      await waitForSerial(/^kindling-guest: ready\r?$/mu, BOOT_WAIT_MS);
      // busybox init runs ::ctrlaltdel: on SIGINT, which is what the kernel sends on Ctrl-Alt-Del.
      vm.stdin.write('kill -INT 1\n');
      const [code] = (await once(vm, 'exit', { signal: AbortSignal.timeout(ANSWER_WAIT_MS) })) as [
        number | null,
      ];
      expect(code).toBe(0);
    },
    BOOT_WAIT_MS,
  );
});
