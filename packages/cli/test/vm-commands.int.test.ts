// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isRoot } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliFixture, type CliFixture } from './support/cli-fixture.js';

interface VmJson {
  readonly name: string;
  readonly vmm: { readonly pid: number };
  readonly owner: { readonly pid: number };
  readonly state?: string;
  readonly socketPath: string;
  readonly detached: boolean;
}

// One fixture, one detached VM, the commands in the order a user types them.
describe('kindling: a detached VM from run to stop', () => {
  let fixture: CliFixture;
  let started: VmJson;

  beforeAll(async () => {
    fixture = await createCliFixture();
    started = await fixture.json<VmJson>([
      'run',
      '--kernel',
      fixture.kernel,
      '--name',
      'web',
      '--vsock-cid',
      '3',
      '--detach',
    ]);
  });
  afterAll(async () => {
    await fixture[Symbol.asyncDispose]();
  });

  it('run --detach returns its record and leaves the VM running in the background', () => {
    expect(started).toMatchObject({
      name: 'web',
      detached: true,
      jailed: false,
      vcpus: 1,
      memMib: 128,
    });
    expect(started.owner.pid).not.toBe(process.pid);
    expect(existsSync(started.socketPath)).toBe(true);
  });

  it('ls lists it as running, in a table or as JSON', async () => {
    const listed = await fixture.json<VmJson[]>(['ls']);
    expect(listed.map((vm) => [vm.name, vm.state, vm.vmm.pid])).toEqual([
      ['web', 'running', started.vmm.pid],
    ]);
    const table = await fixture.run(['ls']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│ web\s+│ running\s+│ \d+\s+│ 1\s+│ 128\s+│ detached/u);
    // Off a terminal: no colour codes.
    expect(table.stdout).not.toContain('\u001B[');
  });

  it("inspect shows the record and Firecracker's configuration", async () => {
    const inspected = await fixture.json<VmJson & { configuration: Record<string, unknown> }>([
      'inspect',
      'web',
    ]);
    expect(inspected.state).toBe('running');
    expect(inspected.configuration).toMatchObject({
      'machine-config': { vcpu_count: 1, mem_size_mib: 128 },
      vsock: { guest_cid: 3 },
    });
  });

  it('pause and resume change its state', async () => {
    expect(await fixture.json(['pause', 'web'])).toEqual({ name: 'web', state: 'paused' });
    expect((await fixture.json<VmJson[]>(['ls']))[0]?.state).toBe('paused');
    expect(await fixture.json(['resume', 'web'])).toEqual({ name: 'web', state: 'running' });
    expect((await fixture.json<VmJson[]>(['ls']))[0]?.state).toBe('running');
  });

  it('api sends a raw request and prints the answer', async () => {
    expect(await fixture.json(['api', 'web', 'GET', '/machine-config'])).toMatchObject({
      status: 200,
      body: { vcpu_count: 1, mem_size_mib: 128 },
    });
    // Firecracker's refusal is exit code 4, with its own message.
    const refused = await fixture.run([
      'api',
      'web',
      'PUT',
      '/actions',
      '{"action_type":"Reboot"}',
    ]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('[ERR_API_RESPONSE]');
    const bad = await fixture.run(['api', 'web', 'POST', '/']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('method: expected one of GET, PUT, PATCH, DELETE, got "POST"');
  });

  it('logs prints the serial console, boot marker included', async () => {
    const logs = await fixture.run(['logs', 'web']);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('kindling-fake-guest: ready');
    const json = await fixture.json<{ serial: string }>(['logs', 'web']);
    expect(json.serial).toContain('kindling-fake-guest: ready');
  });

  it('metrics flushes and shows the latest record, as a table, JSON or Prometheus text', async () => {
    const record = await fixture.json<{ groups: Record<string, Record<string, number>> }>([
      'metrics',
      'web',
    ]);
    expect(record.groups['api_server']).toBeDefined();
    const table = await fixture.run(['metrics', 'web']);
    expect(table.stdout).toMatch(/│ GROUP\s+│ FIELD\s+│ VALUE/u);
    const prometheus = await fixture.run(['metrics', 'web', '--prometheus']);
    expect(prometheus.code).toBe(0);
    expect(prometheus.stdout).toMatch(/^firecracker_\w+\{[^}]*vm_id="web"/mu);
  });

  it('snapshot create writes the files and leaves the VM running; restore starts a clone', async () => {
    const snapshotPath = path.join(fixture.dir, 'web.state');
    const memPath = path.join(fixture.dir, 'web.mem');
    expect(
      await fixture.json([
        'snapshot',
        'create',
        'web',
        '--snapshot',
        snapshotPath,
        '--mem',
        memPath,
      ]),
    ).toEqual({ name: 'web', snapshotPath, memPath, type: 'Full' });
    expect([existsSync(snapshotPath), existsSync(memPath)]).toEqual([true, true]);
    expect((await fixture.json<VmJson[]>(['ls']))[0]?.state).toBe('running');
    const clone = await fixture.json<VmJson>([
      'snapshot',
      'restore',
      '--snapshot',
      snapshotPath,
      '--mem',
      memPath,
      '--vsock',
      path.join(fixture.dir, 'clone.sock'),
      '--name',
      'clone',
      '--resume',
      '--detach',
    ]);
    expect(clone).toMatchObject({ name: 'clone', source: `snapshot ${snapshotPath}` });
    const states = (await fixture.json<VmJson[]>(['ls'])).map((vm) => [vm.name, vm.state]);
    expect(states).toEqual([
      ['clone', 'running'],
      ['web', 'running'],
    ]);
    expect(await fixture.json(['stop', 'clone'])).toEqual({
      name: 'clone',
      stopped: true,
      how: 'shut-down',
    });
  });

  it('a second VM of the same name is refused with exit code 4', async () => {
    const taken = await fixture.run(['run', '--kernel', fixture.kernel, '--name', 'web', '-d']);
    expect(taken.code).toBe(4);
    expect(taken.stderr).toContain('A VM named "web" is running');
  });

  it('stop shuts it down gracefully and removes everything it made', async () => {
    expect(await fixture.json(['stop', 'web'])).toEqual({
      name: 'web',
      stopped: true,
      how: 'shut-down',
    });
    expect(await fixture.json(['ls'])).toEqual([]);
    expect(await fixture.vmFolders()).toEqual([]);
    expect(existsSync(started.socketPath)).toBe(false);
  });

  it('a VM that is not there is exit code 3, for every command that names one', async () => {
    for (const args of [
      ['inspect', 'web'],
      ['pause', 'web'],
      ['stop', 'web'],
      ['logs', 'web'],
      ['metrics', 'web'],
    ]) {
      const missing = await fixture.run(args);
      expect({ args, code: missing.code }).toEqual({ args, code: 3 });
      expect(missing.stderr).toContain('No VM named "web"');
    }
  });
});

describe('kindling reconcile', () => {
  it('cleans up a VM whose background process was killed', async () => {
    await using fixture = await createCliFixture();
    const started = await fixture.json<VmJson>([
      'run',
      '--kernel',
      fixture.kernel,
      '--name',
      'orphan',
      '-d',
    ]);
    process.kill(started.owner.pid, 'SIGKILL');
    const listed = await fixture.json<VmJson[]>(['ls']);
    expect(listed.map((vm) => [vm.name, vm.state])).toEqual([['orphan', 'gone']]);
    const report = await fixture.json<{
      reconciled: { pid: number; killed: boolean }[];
      removedVms: string[];
    }>(['reconcile']);
    expect(report.reconciled.map((item) => [item.pid, item.killed])).toEqual([
      [started.vmm.pid, true],
    ]);
    expect(report.removedVms).toEqual(['orphan']);
    expect(await fixture.vmFolders()).toEqual([]);
    expect(await fixture.json(['reconcile'])).toEqual({
      reconciled: [],
      skipped: 0,
      networks: { removed: [], skipped: 0 },
      removedVms: [],
    });
  });
});

describe('kindling run --config', () => {
  it('boots from a Firecracker config file, in the background, until stopped', async () => {
    await using fixture = await createCliFixture();
    const config = path.join(fixture.dir, 'vm.json');
    await writeFile(
      config,
      JSON.stringify({
        'boot-source': { kernel_image_path: fixture.kernel, boot_args: 'console=ttyS0' },
        'machine-config': { vcpu_count: 2, mem_size_mib: 256 },
      }),
    );
    const started = await fixture.json<VmJson>(['run', '--config', config, '--name', 'cfg', '-d']);
    expect(started).toMatchObject({
      name: 'cfg',
      vcpus: 2,
      memMib: 256,
      source: `config ${config}`,
    });
    expect(await fixture.json(['api', 'cfg', 'GET', '/machine-config'])).toMatchObject({
      body: { vcpu_count: 2, mem_size_mib: 256 },
    });
    expect(await fixture.json(['stop', 'cfg'])).toEqual({
      name: 'cfg',
      stopped: true,
      how: 'shut-down',
    });
  });
});

describe('kindling run --jailed', () => {
  it.skipIf(!isRoot)(
    'runs under the jailer; snapshot create moves the files out of the jail [root only: the jailer needs root]',
    async () => {
      await using fixture = await createCliFixture();
      const started = await fixture.json<VmJson & { jailed: boolean; rootPath: string }>([
        'run',
        '--kernel',
        fixture.kernel,
        '--name',
        'cli-jailed-test',
        '--jailed',
        '-d',
      ]);
      expect(started.jailed).toBe(true);
      expect(started.socketPath.startsWith(started.rootPath)).toBe(true);
      const snapshotPath = path.join(fixture.dir, 'jailed.state');
      const memPath = path.join(fixture.dir, 'jailed.mem');
      await fixture.json([
        'snapshot',
        'create',
        'cli-jailed-test',
        '--snapshot',
        snapshotPath,
        '--mem',
        memPath,
      ]);
      expect([existsSync(snapshotPath), existsSync(memPath)]).toEqual([true, true]);
      expect(await fixture.json(['stop', 'cli-jailed-test'])).toEqual({
        name: 'cli-jailed-test',
        stopped: true,
        how: 'shut-down',
      });
      expect(existsSync(started.rootPath)).toBe(false);
    },
  );
});
