// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { FakeVmmError } from '../firecracker/errors.js';
import {
  DEFAULT_BOOT_MARKER,
  FAKE_ENV,
  formatFakeEnv,
  parseFakeEnv,
  type FakeEnvOptions,
} from './env.js';

const errorOf = (run: () => unknown): unknown => {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  return caught;
};

describe('parseFakeEnv', () => {
  it('applies the defaults when nothing is set', () => {
    const config = parseFakeEnv({});
    expect(config).toMatchObject({
      chrootDir: undefined,
      socketDelayMs: 0,
      exitRules: [],
      responseFaults: [],
      bootMarker: DEFAULT_BOOT_MARKER,
      bootDelayMs: 0,
      guestCrashMs: undefined,
      ctrlAltDel: { kind: 'reboot', delayMs: 0 },
      vsockGuestConnectPorts: [],
      execProtocol: undefined,
      journalPath: undefined,
      metricsPeriodMs: 60_000,
    });
    expect([...config.vsockServices]).toEqual([
      [5000, 'echo'],
      [8000, 'http'],
      [9000, 'grpc'],
      [10_000, 'exec'],
    ]);
  });

  it('parses every syntax', () => {
    const config = parseFakeEnv({
      [FAKE_ENV.exit]: 'startup:3; before-instance-start:SIGKILL;after-requests=4:0',
      [FAKE_ENV.responseFaults]: 'PUT /actions=delay:25;* /drives/*=drop@2;GET /=stall',
      [FAKE_ENV.ctrlAltDel]: 'reboot:40',
      [FAKE_ENV.vsockServices]: '',
      [FAKE_ENV.vsockGuestConnect]: '52, 53',
    });
    expect(config.exitRules).toEqual([
      { point: 'startup', outcome: { exitCode: 3 } },
      { point: 'before-instance-start', outcome: { signal: 'SIGKILL' } },
      { point: 'after-requests', afterRequests: 4, outcome: { exitCode: 0 } },
    ]);
    expect(config.responseFaults).toEqual([
      { method: 'PUT', path: '/actions', action: { kind: 'delay', delayMs: 25 } },
      { method: '*', path: '/drives/*', action: { kind: 'drop' }, nth: 2 },
      { method: 'GET', path: '/', action: { kind: 'stall' } },
    ]);
    expect(config.ctrlAltDel).toEqual({ kind: 'reboot', delayMs: 40 });
    expect(config.vsockServices.size).toBe(0);
    expect(config.vsockGuestConnectPorts).toEqual([52, 53]);
  });

  it.each([
    [FAKE_ENV.exit, 'startup', 'expected rules "<point>:<outcome>"'],
    [FAKE_ENV.exit, 'somewhere:1', 'expected rules "<point>:<outcome>"'],
    [FAKE_ENV.exit, 'startup:256', 'exit code from 0 to 255'],
    [FAKE_ENV.exit, 'startup:SIGNOPE', 'signal name like SIGKILL'],
    [FAKE_ENV.exit, 'after-requests=0:1', 'n of at least 1'],
    [FAKE_ENV.responseFaults, 'POST /x=drop', 'expected rules'],
    [FAKE_ENV.responseFaults, 'GET /x=explode', 'delay:<ms>, stall or drop'],
    [FAKE_ENV.ctrlAltDel, 'later', 'reboot, reboot:<ms> or ignore'],
    [FAKE_ENV.vsockServices, '5000=ftp', '<port>=<echo|http|grpc|exec>'],
    [FAKE_ENV.execProtocol, 'two', 'a protocol version (a whole number)'],
    [FAKE_ENV.socketDelayMs, '-5', 'whole number of milliseconds'],
    [FAKE_ENV.guestCrashMs, 'soon', 'whole number of milliseconds'],
  ])('rejects %s=%s', (name, value, expected) => {
    const error = errorOf(() => parseFakeEnv({ [name]: value }));
    expect(error).toBeInstanceOf(FakeVmmError);
    expect(error).toMatchObject({
      code: 'ERR_FAKE_ENV',
      message: expect.stringContaining(`${name}=${JSON.stringify(value)} is not valid`),
    });
    expect(String(error)).toContain(expected);
  });
});

describe('formatFakeEnv', () => {
  it('round-trips through parseFakeEnv', () => {
    const options: FakeEnvOptions = {
      socketDelayMs: 10,
      exitRules: [
        { point: 'after-requests', afterRequests: 2, outcome: { signal: 'SIGTERM' } },
        { point: 'snapshot-create', outcome: { exitCode: 9 } },
      ],
      responseFaults: [
        { method: 'GET', path: '/version', action: { kind: 'delay', delayMs: 5 }, nth: 1 },
      ],
      bootMarker: 'login:',
      bootDelayMs: 20,
      guestCrashMs: 30,
      ctrlAltDel: { kind: 'ignore' },
      vsockServices: new Map([[1024, 'grpc']]),
      vsockGuestConnectPorts: [7],
      execProtocol: 2,
      journalPath: '/tmp/journal.ndjson',
      metricsPeriodMs: 100,
    };
    const config = parseFakeEnv(formatFakeEnv(options));
    expect(config).toMatchObject({ ...options, vsockServices: expect.any(Map) });
    expect([...config.vsockServices]).toEqual([[1024, 'grpc']]);
  });
});
