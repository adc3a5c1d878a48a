// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readJournal, type JournalRecord } from '../src/faults/journal.js';
import { FakeVmmError } from '../src/firecracker/errors.js';
import { bootTo, configureBoot, startFakeVm } from './support/fake-vm.js';
import { vsockConnect } from './support/vsock-client.js';

// The KINDLING_FAKE_* switches and the request journal.

const timeOf = (stdout: string, message: string): number => {
  const line = stdout.split('\n').find((candidate) => candidate.includes(message)) ?? '';
  const stamp = /^(\S+)T(\d+):(\d+):(\d+)\.(\d+)/u.exec(line);
  if (stamp === null) {
    throw new Error(`no "${message}" line in:\n${stdout}`);
  }
  const [, , hours, minutes, seconds, nanos] = stamp.map(Number);
  return ((hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0)) * 1000 + (nanos ?? 0) / 1e6;
};

const answeredAfterReceived = (record: JournalRecord): boolean =>
  record.respondedAtMs !== null && record.respondedAtMs >= record.receivedAtMs;

describe('exit faults', () => {
  it('delays the socket by KINDLING_FAKE_SOCKET_DELAY_MS', async () => {
    await using vm = await startFakeVm({
      spawn: true,
      env: { KINDLING_FAKE_SOCKET_DELAY_MS: '150' },
    });
    // The socket accepts before the child's log line has crossed the stdout pipe: wait for it.
    await vm.waitForStdout('API server started.');
    const out = vm.stdout();
    // A lower bound only: a busy machine makes the delay longer, never shorter.
    expect(
      timeOf(out, 'API server started.') - timeOf(out, 'Running Firecracker'),
    ).toBeGreaterThanOrEqual(145);
  });

  it('exits with a code at start-up, before the socket exists', async () => {
    await using vm = await startFakeVm({
      waitForApi: false,
      env: { KINDLING_FAKE_EXIT: 'startup:3' },
    });
    expect(await vm.exited).toEqual({ code: 3, signal: null });
    expect(existsSync(vm.socketPath)).toBe(false);
  });

  it('dies of a signal at start-up', async () => {
    await using vm = await startFakeVm({
      spawn: true,
      waitForApi: false,
      env: { KINDLING_FAKE_EXIT: 'startup:SIGKILL' },
    });
    expect(await vm.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('dies before InstanceStart without answering it, journaling the request', async () => {
    await using vm = await startFakeVm({
      spawn: true,
      env: {
        KINDLING_FAKE_EXIT: 'before-instance-start:SIGKILL',
        KINDLING_FAKE_JOURNAL: '{dir}/journal.ndjson',
      },
    });
    await configureBoot(vm);
    const client = await vm.connect();
    client.send(
      'PUT /actions HTTP/1.1\r\nContent-Length: 31\r\n\r\n{"action_type":"InstanceStart"}',
    );
    await client.closed;
    expect(await vm.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(client.pending).toBe('');
    const records = await readJournal(vm.path('journal.ndjson'));
    expect(records.at(-1)).toMatchObject({
      method: 'PUT',
      path: '/actions',
      status: null,
      respondedAtMs: null,
    });
  });

  it('lets the guest die after KINDLING_FAKE_GUEST_CRASH_MS as on a KVM host that cannot run it', async () => {
    await using vm = await startFakeVm({
      spawn: true,
      env: { KINDLING_FAKE_GUEST_CRASH_MS: '50' },
    });
    await configureBoot(vm);
    await bootTo(vm, 'Running');
    expect(await vm.exited).toEqual({ code: 1, signal: null });
    // v1.16.1's words, in its log (here stdout) and on stderr.
    expect(vm.stdout()).toContain('Received KVM_EXIT_INTERNAL_ERROR signal');
    expect(vm.stdout()).toContain(
      'RunWithApiError error: MicroVM stopped with an error: GenericError',
    );
    expect(vm.stdout()).toContain('Firecracker exiting with error. exit_code=1');
    expect(vm.stderr()).toContain('Error: RunWithApi(MicroVMStoppedWithError(GenericError))');
  });

  it('exits with a code during a snapshot, after the state file and before the memory file', async () => {
    await using vm = await startFakeVm({ env: { KINDLING_FAKE_EXIT: 'snapshot-create:9' } });
    await configureBoot(vm);
    await bootTo(vm, 'Paused');
    const client = await vm.connect();
    client.send(
      `PUT /snapshot/create HTTP/1.1\r\nContent-Length: ${JSON.stringify({ snapshot_path: vm.path('s'), mem_file_path: vm.path('m') }).length}\r\n\r\n${JSON.stringify({ snapshot_path: vm.path('s'), mem_file_path: vm.path('m') })}`,
    );
    expect(await vm.exited).toEqual({ code: 9, signal: null });
    expect(existsSync(vm.path('s'))).toBe(true);
    expect(existsSync(vm.path('m'))).toBe(false);
  });

  it('exits with a code when a snapshot load starts', async () => {
    await using vm = await startFakeVm({ env: { KINDLING_FAKE_EXIT: 'snapshot-load:5' } });
    const client = await vm.connect();
    const body = JSON.stringify({ snapshot_path: 's', mem_file_path: 'm' });
    client.send(`PUT /snapshot/load HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    expect(await vm.exited).toEqual({ code: 5, signal: null });
  });

  it('exits after N requests have been answered', async () => {
    await using vm = await startFakeVm({ env: { KINDLING_FAKE_EXIT: 'after-requests=3:0' } });
    for (let index = 0; index < 3; index += 1) {
      expect((await vm.api('GET', '/')).status).toBe(200);
    }
    expect(await vm.exited).toEqual({ code: 0, signal: null });
  });

  it('reports a bad switch on stderr and exits 2', async () => {
    await using vm = await startFakeVm({
      waitForApi: false,
      env: { KINDLING_FAKE_EXIT: 'never:1' },
    });
    expect(await vm.exited).toEqual({ code: 2, signal: null });
    expect(vm.stderr()).toContain('KINDLING_FAKE_EXIT="never:1" is not valid');
  });
});

describe('response faults', () => {
  it('answers slowly', async () => {
    await using vm = await startFakeVm({
      env: { KINDLING_FAKE_RESPONSE_FAULTS: 'GET /version=delay:120' },
    });
    const start = performance.now();
    expect((await vm.api('GET', '/version')).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(115);
  });

  it('drops the connection without an answer (only the 2nd match with @2), after handling the request', async () => {
    await using vm = await startFakeVm({
      env: { KINDLING_FAKE_RESPONSE_FAULTS: 'PUT /logger=drop@2' },
    });
    expect((await vm.api('PUT', '/logger', { level: 'Info' })).status).toBe(204);
    const client = await vm.connect();
    client.send('PUT /logger HTTP/1.1\r\nContent-Length: 17\r\n\r\n{"level":"Debug"}');
    await client.closed;
    expect(client.pending).toBe('');
    expect((await vm.api('PUT', '/logger', { level: 'Info' })).status).toBe(204);
  });

  it('stalls one answer while other connections are served', async () => {
    await using vm = await startFakeVm({
      env: {
        KINDLING_FAKE_RESPONSE_FAULTS: 'GET /version=stall',
        KINDLING_FAKE_JOURNAL: '{dir}/journal.ndjson',
      },
    });
    const journal = vm.path('journal.ndjson');
    const stalled = await vm.connect();
    stalled.send('GET /version HTTP/1.1\r\n\r\n');
    expect((await vm.api('GET', '/')).status).toBe(200);
    const records = await readJournal(journal);
    expect(records.map((record) => [record.path, record.status, record.fault])).toEqual([
      ['/version', null, 'stall'],
      ['/', 200, null],
    ]);
    expect(stalled.pending).toBe('');
  });
});

describe('request journal', () => {
  it('records every request in order with bodies, statuses and timestamps', async () => {
    await using fake = await startFakeVm({
      env: { KINDLING_FAKE_JOURNAL: '{dir}/journal.ndjson' },
    });
    const journalPath = fake.path('journal.ndjson');
    await fake.api('PUT', '/machine-config', { vcpu_count: 2, mem_size_mib: 256 });
    await fake.api('GET', '/machine-config');
    await fake.api('PUT', '/drives/a-b', { drive_id: 'a-b' });
    const client = await fake.connect();
    client.send('POST /actions HTTP/1.1\r\n\r\n');
    await client.readResponse();
    const records: JournalRecord[] = await readJournal(journalPath);
    expect(
      records.map(({ seq, method, path, body, status }) => ({ seq, method, path, body, status })),
    ).toEqual([
      {
        seq: 1,
        method: 'PUT',
        path: '/machine-config',
        body: '{"vcpu_count":2,"mem_size_mib":256}',
        status: 204,
      },
      { seq: 2, method: 'GET', path: '/machine-config', body: null, status: 200 },
      { seq: 3, method: 'PUT', path: '/drives/a-b', body: '{"drive_id":"a-b"}', status: 400 },
      { seq: 4, method: 'POST', path: '/actions', body: null, status: 400 },
    ]);
    expect(records[1]?.responseBody).toBe(
      '{"vcpu_count":2,"mem_size_mib":256,"smt":false,"track_dirty_pages":false,"huge_pages":"None"}',
    );
    expect(records[0]?.responseBody).toBeNull();
    expect(records.every(answeredAfterReceived)).toBe(true);
  });

  it('refuses a line that is not a record', async () => {
    await using vm = await startFakeVm();
    const path = vm.path('bad.ndjson');
    await appendFile(path, '{"seq":1}\n');
    await expect(readJournal(path)).rejects.toBeInstanceOf(FakeVmmError);
    await expect(readJournal(path)).rejects.toMatchObject({ code: 'ERR_JOURNAL_READ' });
    await expect(readJournal(vm.path('missing.ndjson'))).rejects.toThrow(
      /Could not read the request journal/u,
    );
  });
});

describe('vsock services switch', () => {
  it('runs the services KINDLING_FAKE_VSOCK_SERVICES lists, and only those', async () => {
    await using vm = await startFakeVm({ env: { KINDLING_FAKE_VSOCK_SERVICES: '1234=echo' } });
    await configureBoot(vm);
    await vm.api('PUT', '/vsock', { guest_cid: 3, uds_path: vm.path('v.sock') });
    await bootTo(vm, 'Running');
    await vm.waitForStdout('kindling-fake-guest: ready');
    expect((await vsockConnect(vm.path('v.sock'), 5000)).ok).toBeUndefined();
    const { ok, socket } = await vsockConnect(vm.path('v.sock'), 1234);
    expect(ok).toBe('OK 1073741824');
    socket.destroy();
  });
});
