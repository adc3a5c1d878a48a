// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { open, readFile, stat } from 'node:fs/promises';
import { testBackend } from '@kindling/fake-vmm';
import { catchError } from '@kindling/test-utils';
import type { VmSnapshot } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotEditor, type RustStruct } from '../src/index.js';
import { createSnapshotHarness, type SnapshotHarness } from './support/snapshot-harness.js';

const PAGE = 4096;

/** The offsets of the pages of a file that hold anything but zeros. */
const dataPages = async (file: string): Promise<Map<number, Buffer>> => {
  const pages = new Map<number, Buffer>();
  const zero = Buffer.alloc(PAGE);
  await using handle = await open(file, 'r');
  const { size } = await handle.stat();
  const chunk = Buffer.alloc(256 * PAGE);
  for (let position = 0; position < size; position += chunk.length) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    for (let offset = 0; offset < bytesRead; offset += PAGE) {
      const page = chunk.subarray(offset, offset + PAGE);
      if (!page.equals(zero.subarray(0, page.length))) {
        pages.set(position + offset, Buffer.from(page));
      }
    }
  }
  return pages;
};

/** A JSON replacer for the state's u64 values. */
const bigintsAsText = (_key: string, value: unknown): unknown =>
  typeof value === 'bigint' ? value.toString() : value;

let harness: SnapshotHarness;
let editor: SnapshotEditor;
let full: VmSnapshot;
let diff: VmSnapshot;

// One VM, a full snapshot, then (after running on) a diff into its own memory file; both copied
// out, so that the VM's cleanup leaves them.
beforeAll(async () => {
  harness = await createSnapshotHarness();
  editor = new SnapshotEditor({ installation: harness.folder.installation });
  const vm = await harness.startVm();
  await vm.pause();
  full = await (
    await vm.createSnapshot({
      snapshotPath: harness.pathFor('vm/full.state'),
      memPath: harness.pathFor('vm/full.mem'),
    })
  ).copy({
    snapshotPath: harness.pathFor('kept/full.state'),
    memPath: harness.pathFor('kept/full.mem'),
  });
  await vm.resume();
  await vm.pause();
  diff = await (
    await vm.createSnapshot({
      type: 'Diff',
      snapshotPath: harness.pathFor('vm/diff.state'),
      memPath: harness.pathFor('vm/diff.mem'),
    })
  ).copy({
    snapshotPath: harness.pathFor('kept/diff.state'),
    memPath: harness.pathFor('kept/diff.mem'),
  });
  await vm.shutdown();
  await vm.cleanup();
});
afterAll(async () => {
  await harness[Symbol.asyncDispose]();
});

describe(`snapshot-editor on ${testBackend.kind === 'real' ? "a real Firecracker's" : "the fake's"} snapshots`, () => {
  it('reads the data format version of both state files', async () => {
    for (const snapshot of [full, diff]) {
      expect(await editor.readVersion({ vmstatePath: snapshot.snapshotPath })).toEqual({
        text: 'v10.0.0',
        major: 10,
        minor: 0,
        patch: 0,
      });
    }
  });

  it('reads each vCPU state as data', async () => {
    const vcpus = await editor.readVcpuStates({ vmstatePath: full.snapshotPath });
    expect(vcpus.map((vcpu) => vcpu.index)).toEqual([0]);
    const state = vcpus[0]?.state as RustStruct;
    expect(state.$type).toBe('VcpuState');
    const regs = state['regs'] as RustStruct;
    expect(regs.$type).toBe('kvm_regs');
    // rip: a kernel address, beyond 2^53, is a bigint.
    expect(typeof regs['rip']).toBe('bigint');
    expect(regs['rip']).toBeGreaterThan(0n);
  });

  it('reads the whole microVM state as data, with the machine it was made of', async () => {
    const state = await editor.readVmState({ vmstatePath: diff.snapshotPath });
    expect(state.$type).toBe('MicrovmState');
    const text = JSON.stringify(state, bigintsAsText);
    // The memory size and the dirty-page tracking the VM was configured with are in the state.
    expect(text).toMatch(/"mem_size_mib":128/u);
  });

  it('rebases the diff onto the full snapshot, and the result restores', async () => {
    const diffPages = await dataPages(diff.memPath);
    expect(diffPages.size).toBeGreaterThan(0);
    const fullSize = (await stat(full.memPath)).size;
    const rebased = await editor.rebaseSnapshot({ base: full, diff });
    expect(rebased.type).toBe('Full');
    expect(rebased.snapshotPath).toBe(diff.snapshotPath);
    expect(rebased.memPath).toBe(full.memPath);
    expect((await stat(full.memPath)).size).toBe(fullSize);
    // Every page the diff holds is now in the base, at the same offset.
    const merged = await readFile(full.memPath);
    for (const [offset, page] of diffPages) {
      expect(merged.subarray(offset, offset + PAGE).equals(page), `page at ${offset}`).toBe(true);
    }
    const restored = await harness.restore(rebased);
    expect(restored.state).toBe('running');
    expect((await restored.getMachineConfig()).mem_size_mib).toBe(128);
    await restored.shutdown();
    await restored.cleanup();
  });

  it('fails with the tool’s exit code and stderr for a file that is not a state file', async () => {
    const error = await catchError(editor.readVmState({ vmstatePath: full.memPath }));
    expect(error).toMatchObject({ code: 'ERR_SNAPSHOT_EDITOR_FAILED', exitCode: 1 });
    expect(error).toHaveProperty(
      'stderr',
      expect.stringMatching(
        /^Error during getting info from a vmstate file: .*\nError: InfoVmState\(/u,
      ),
    );
    expect((error as Error).message).toContain(
      'snapshot-editor info-vmstate vm-state exited with code 1: Error during getting info',
    );
  });
});
