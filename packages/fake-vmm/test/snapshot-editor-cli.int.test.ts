// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, open, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeFirecracker, startFakeFirecracker } from '../src/index.js';
import { RawApiClient } from './support/raw-api.js';
import { realBinaryFor, runBin } from './support/run-bin.js';
import { writeFakeKernel } from '../src/testing/fake-kernel.js';

const REAL_EDITOR = realBinaryFor('fake-snapshot-editor') !== undefined;

let fake: FakeFirecracker | undefined;
let files: { state: string; memory: string; diffState: string; diff: string };

// Boots a fake microVM with dirty-page tracking and takes a Full and then a Diff snapshot.
beforeAll(async () => {
  const started = await startFakeFirecracker();
  fake = started;
  const file = (name: string) => path.join(started.dir, name);
  files = {
    state: file('full.state'),
    memory: file('full.mem'),
    diffState: file('diff.state'),
    diff: file('diff.mem'),
  };
  await writeFakeKernel(file('vmlinux'));
  const api = await RawApiClient.connect(started.socketPath);
  try {
    const calls: [string, string, unknown][] = [
      ['PUT', '/boot-source', { kernel_image_path: file('vmlinux') }],
      ['PUT', '/machine-config', { vcpu_count: 2, mem_size_mib: 32, track_dirty_pages: true }],
      ['PUT', '/actions', { action_type: 'InstanceStart' }],
      ['PATCH', '/vm', { state: 'Paused' }],
      ['PUT', '/snapshot/create', { snapshot_path: files.state, mem_file_path: files.memory }],
      [
        'PUT',
        '/snapshot/create',
        { snapshot_type: 'Diff', snapshot_path: files.diffState, mem_file_path: files.diff },
      ],
    ];
    for (const [method, target, body] of calls) {
      const response = await api.request(method, target, body);
      if (response.status !== 204) {
        throw new Error(`${method} ${target} answered ${response.status}: ${response.body}`);
      }
    }
  } finally {
    api.close();
  }
});

afterAll(async () => {
  await fake?.stop();
});

describe('fake-snapshot-editor on snapshots of the fake Firecracker', () => {
  it.skipIf(REAL_EDITOR)(
    "prints the snapshot data version (skipped on a real binary: the snapshots here are the fake's own state-file format)",
    async () => {
      const run = await runBin('fake-snapshot-editor', [
        'info-vmstate',
        'version',
        '--vmstate-path',
        files.state,
      ]);
      expect(run).toEqual({ code: 0, signal: null, stdout: 'v10.0.0\n', stderr: '' });
    },
  );

  it.skipIf(REAL_EDITOR)(
    "prints the vCPU states and the microVM state as Rust pretty Debug (skipped on a real binary: the snapshots here are the fake's own state-file format)",
    async () => {
      const vcpus = await runBin('fake-snapshot-editor', [
        'info-vmstate',
        'vcpu-states',
        '-v',
        files.state,
      ]);
      expect(vcpus.code).toBe(0);
      expect(vcpus.stdout).toMatch(
        /^vcpu 0:\nVcpuState \{\n {4}index: 0,\n {4}regs: kvm_regs \{\n/u,
      );
      expect(vcpus.stdout).toContain('vcpu 1:\nVcpuState {\n    index: 1,');
      const state = await runBin('fake-snapshot-editor', [
        'info-vmstate',
        'vm-state',
        '-v',
        files.state,
      ]);
      expect(state.code).toBe(0);
      expect(state.stdout).toMatch(
        /^MicrovmState \{\n {4}arch: x86_64,\n {4}snapshot_type: Full,\n/u,
      );
      expect(state.stdout).toContain('            "mem_size_mib": 32,');
    },
  );

  it('merges the diff memory file into its base', async () => {
    const diff = await readFile(files.diff);
    const page = diff.subarray(0, 4096);
    expect(page.some((byte) => byte !== 0)).toBe(true);
    const base = await open(files.memory, 'r+');
    try {
      await base.write(Buffer.alloc(4096, 0xaa), 0, 4096, 4096);
    } finally {
      await base.close();
    }
    const run = await runBin('fake-snapshot-editor', [
      'edit-memory',
      'rebase',
      '--memory-path',
      files.memory,
      '--diff-path',
      files.diff,
    ]);
    expect(run).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
    const merged = await readFile(files.memory);
    expect(merged.length).toBe(32 * 1024 * 1024);
    expect(merged.subarray(0, 4096)).toEqual(page);
    expect(merged.subarray(4096, 8192)).toEqual(Buffer.alloc(4096, 0xaa));
  });

  // What v1.16.1 (a static musl build, as released) prints for each, read off the real binary.
  const CRC_TOO_SHORT = [
    'IO Error: File too short to contain CRC',
    'Io(Custom { kind: UnexpectedEof, error: "File too short to contain CRC" })',
  ] as const;
  const LOAD_FAILURES: readonly (readonly [
    name: string,
    make: (target: string) => Promise<unknown>,
    display: string,
    debug: string,
  ])[] = [
    ['an empty file', (target) => writeFile(target, ''), ...CRC_TOO_SHORT],
    ['a file too short for a CRC', (target) => writeFile(target, 'abc'), ...CRC_TOO_SHORT],
    [
      'a file of junk',
      (target) => writeFile(target, Buffer.alloc(100, 0x5a)),
      'An error occurred during bitcode serialization: bitcode error',
      'Bitcode(Error("bitcode error"))',
    ],
    [
      'a file over the 10 MB limit',
      async (target) => {
        await writeFile(target, '');
        await truncate(target, 11_000_000);
      },
      'Snapshot size exceeds limit of 10000000 bytes',
      'SizeLimitExceeded(10000000)',
    ],
    [
      'a folder',
      (target) => mkdir(target),
      'IO Error: Is a directory (os error 21)',
      'Io(Os { code: 21, kind: IsADirectory, message: "Is a directory" })',
    ],
  ];

  it.each(LOAD_FAILURES)('fails on %s as upstream does', async (name, make, display, debug) => {
    const target = path.join(path.dirname(files.state), name.replaceAll(' ', '-'));
    await make(target);
    const run = await runBin('fake-snapshot-editor', ['info-vmstate', 'version', '-v', target]);
    expect(run).toMatchObject({
      code: 1,
      stderr:
        `Error during getting info from a vmstate file: Can not load snapshot: ${display}\n` +
        `Error: InfoVmState(Utils(VmStateLoad(${debug})))\n`,
    });
  });

  it('fails on a missing file as upstream does', async () => {
    const missing = path.join(path.dirname(files.state), 'missing.state');
    const absent = await runBin('fake-snapshot-editor', [
      'info-vmstate',
      'vm-state',
      '-v',
      missing,
    ]);
    expect(absent).toMatchObject({
      code: 1,
      stderr:
        'Error during getting info from a vmstate file: Can not open snapshot file: No such file or directory (os error 2)\n' +
        'Error: InfoVmState(Utils(VmStateFileOpen(Os { code: 2, kind: NotFound, message: "No such file or directory" })))\n',
    });
  });

  it('answers usage errors with exit 2 as clap does', async () => {
    const run = await runBin('fake-snapshot-editor', ['edit-memory', 'rebase', '-m', files.memory]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'error: the following required arguments were not provided:\n  --diff-path <DIFF_PATH>',
    );
  });
});
