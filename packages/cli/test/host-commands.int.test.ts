// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// The fake release tarball vmm-core's own download tests serve (test code, not a package export).
import { createFakeRelease } from '../../vmm-core/test/support/tarball.ts';
import { createCliFixture } from './support/cli-fixture.js';

interface DoctorJson {
  readonly ready: boolean;
  readonly checks: { check: string; status: string; detail: string; required: boolean }[];
}

// The release's architecture name for this machine, as Firecracker names its tarballs.
const RELEASE_ARCH = process.arch === 'arm64' ? 'aarch64' : 'x86_64';

// Ready exactly when nothing required is missing.
const isReady = (report: DoctorJson): boolean =>
  report.checks.every((check) => !check.required || check.status !== 'missing');

const isWholeMs = (ms: number): boolean => Number.isInteger(ms) && ms >= 0;

const serveRelease = async (files: ReadonlyMap<string, Buffer | string>): Promise<Server> => {
  const server = createServer((request, response) => {
    const body = files.get(request.url ?? '');
    response.writeHead(body === undefined ? 404 : 200);
    response.end(body);
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return server;
};

describe('kindling doctor', () => {
  it("checks every capability, one line each, with the binaries' versions", async () => {
    await using fixture = await createCliFixture();
    const run = await fixture.run(['doctor', '--json']);
    const report = JSON.parse(run.stdout) as DoctorJson;
    expect(report.checks.map((check) => check.check)).toEqual([
      'kvm',
      'firecracker',
      'jailer',
      'snapshot-editor',
      'cgroups',
      'kernel',
      'ip',
      'nft',
      'state folder',
    ]);
    expect(report.checks.find((check) => check.check === 'firecracker')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('Firecracker v1.16.1'),
    });
    // Ready exactly when nothing required is missing, and the exit code says so.
    const expectedReady = isReady(report);
    expect(report.ready).toBe(expectedReady);
    expect(run.code).toBe(
      new Map([
        [true, 0],
        [false, 5],
      ]).get(expectedReady),
    );
  });

  it('exits 5 and says how to get Firecracker when there is none', async () => {
    await using fixture = await createCliFixture();
    const run = await fixture.run(['doctor'], {
      KINDLING_FIRECRACKER: '',
      KINDLING_JAILER: '',
      KINDLING_SNAPSHOT_EDITOR: '',
      PATH: '/usr/bin:/bin',
    });
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(
      /missing firecracker\s+not found\n {2}→ kindling install firecracker/u,
    );
    const runVm = await fixture.run(['run', '--kernel', fixture.kernel], {
      KINDLING_FIRECRACKER: '',
      PATH: '/usr/bin:/bin',
    });
    expect(runVm.code).toBe(5);
    expect(runVm.stderr).toContain(
      'No firecracker binary found: run `kindling install firecracker`',
    );
  });
});

describe('kindling install firecracker', () => {
  it('downloads a release from a mirror, checks its SHA-256 and installs the binaries', async () => {
    await using fixture = await createCliFixture();
    const release = createFakeRelease('1.16.1', RELEASE_ARCH);
    const asset = `/v1.16.1/${release.tarballName}`;
    const server = await serveRelease(
      new Map<string, Buffer | string>([
        [asset, release.tarball],
        [`${asset}.sha256.txt`, release.checksumFile],
      ]),
    );
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const dir = path.join(fixture.dir, 'fc');
      const installed = await fixture.json([
        'install',
        'firecracker',
        '--dir',
        dir,
        '--base-url',
        baseUrl,
      ]);
      expect(installed).toEqual({
        version: '1.16.1',
        dir,
        firecrackerPath: path.join(dir, 'firecracker'),
        jailerPath: path.join(dir, 'jailer'),
        snapshotEditorPath: path.join(dir, 'snapshot-editor'),
      });
      const missingRelease = await fixture.run([
        'install',
        'firecracker',
        '--version',
        'v1.16.0',
        '--dir',
        dir,
        '--base-url',
        baseUrl,
      ]);
      expect(missingRelease.code).toBe(1);
      expect(missingRelease.stderr).toContain('[ERR_DOWNLOAD_FAILED]');
    } finally {
      server.closeAllConnections();
      server.close();
    }
    const bad = await fixture.run(['install', 'firecracker', '--version', 'latest']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--version: expected a release such as v1.16.1, got "latest"');
  });
});

describe('kindling demo', () => {
  it('runs every step against fake-vmm, says so first, and times each step', async () => {
    await using fixture = await createCliFixture();
    const run = await fixture.run(['demo', '--fake', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n')[0]).toMatch(
      /^kindling demo: running against @kindling\/fake-vmm/u,
    );
    const report = JSON.parse(run.stdout) as {
      backend: string;
      steps: { step: string; ms: number }[];
      answers: unknown[];
    };
    expect(report.backend).toBe('fake');
    expect(report.steps.map((step) => step.step)).toEqual([
      'Boot a microVM',
      'Wait for the guest',
      'Reach the guest over vsock',
      'Snapshot it',
      'Restore a clone',
      'Reach the clone over vsock',
      'Shut both down',
    ]);
    expect(report.steps.map((step) => step.ms).every(isWholeMs)).toBe(true);
    expect(report.answers).toEqual([{ c: 42 }, { c: 42 }]);
  });

  it('fails with the reason, not a hang, when the guest never comes up', async () => {
    await using fixture = await createCliFixture();
    const run = await fixture.run([
      'demo',
      '--fake',
      '--marker',
      'never printed',
      '--guest-timeout',
      '500',
    ]);
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('The guest did not print "never printed" within 500 ms');
    expect(run.stderr).toContain('[ERR_GUEST_UNREACHABLE]');
  });
});

describe('kindling usage errors', () => {
  it('exit 2 with the option, the value and the fix', async () => {
    await using fixture = await createCliFixture();
    const cases: [string[], string][] = [
      [
        ['run', '--kernel', 'k', '--vcpus', 'two'],
        '--vcpus: expected a whole number from 1 to 32, got "two"',
      ],
      [['run'], '--kernel: give a guest kernel (or --config with a Firecracker config file)'],
      [
        ['run', '--kernel', 'k', '--name', 'a_b'],
        '--name: expected 1 to 40 letters, digits or "-"',
      ],
      [['frobnicate'], "unknown command 'frobnicate'"],
    ];
    for (const [args, message] of cases) {
      const run = await fixture.run(args);
      expect({ args, code: run.code, message: run.stderr.includes(message) }).toEqual({
        args,
        code: 2,
        message: true,
      });
    }
  });
});
