// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import { EXAMPLE_TEST_MS, createTempFolder, type TempFolder } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllReadmeBlocks, type ReadmeBlock } from './support/readme-blocks.ts';
import type { ReadmeRunFixture, ReadmeRuns } from './support/readme-run.ts';
import { CORE_RUNS } from './support/readme-runs-core.ts';
import { PROCESS_RUNS } from './support/readme-runs-process.ts';
import { VM_RUNS } from './support/readme-runs-vm.ts';
import { typeCheckBlocks } from './support/readme-typecheck.ts';

// Every ```ts block of every README is type-checked as it is written, and run for real against
// the fakes unless it cannot run here; then the reason is below. Blocks are named
// `<readme> § <heading>` (and ` (n)` for the n-th under one heading).
const NOT_RUN: Record<string, string> = {
  'packages/spawner/README.md § Usage (2)': 'sudo asks for a password nobody here has',
  'packages/vmm-core/README.md § Installation (2)': 'it downloads a release from the internet',
  'packages/vmm-core/README.md § Ownership':
    'it changes owners under /srv/jailer and /run, the second through sudo',
  'packages/vm/README.md § Profiles: limits and permissions (2)':
    'it makes cgroups under /sys/fs/cgroup as root; test/profile-limits.int.test.ts runs the same',
};

// What the README states around a fragment (earlier imports and variables, a value the reader
// brings), declared for the type check.
const TYPE_PRELUDES: Record<string, string> = {
  'packages/spawner/README.md § Usage (2)': 'declare function readPasswordSomehow(): string;',
  'packages/vmm-core/README.md § Command modifiers': `import type { VmmArguments } from '@kindling/vmm-core';
declare const vmm: VmmArguments;`,
  'packages/process/README.md § Waiting for a socket': `import type { SpawnedProcess } from '@kindling/spawner';
declare const signal: AbortSignal;
declare const child: SpawnedProcess;
declare const lastLines: string;`,
  'packages/vm/README.md § @kindling/vm (2)': `import { VmmArguments, type VmmInstallation } from '@kindling/vmm-core';
declare const installation: VmmInstallation;`,
  'packages/vm/README.md § Profiles: limits and permissions (2)': `import { Vm } from '@kindling/vm';
import type { VmmInstallation } from '@kindling/vmm-core';
declare const installation: VmmInstallation;
declare const rootfs: { drive_id: string; is_root_device: boolean; path_on_host: string };`,
  'packages/vm/README.md § Talking with the guest: vsock and the serial console': `import type { Vm } from '@kindling/vm';
declare const vm: Vm;
declare const signal: AbortSignal;`,
};

const without = (ids: readonly string[], others: readonly string[]): string[] =>
  ids.filter((id) => !others.includes(id));

const typePrelude = (example: ReadmeBlock): string => TYPE_PRELUDES[example.id] ?? '';

const RUNS: ReadmeRuns = { ...CORE_RUNS, ...PROCESS_RUNS, ...VM_RUNS };

let blocks: Map<string, ReadmeBlock>;
let folder: TempFolder;
let fixture: ReadmeRunFixture;

const block = (id: string): ReadmeBlock => {
  const found = blocks.get(id);
  expect(
    found,
    `no README block ${id}: a heading changed? Blocks: ${[...blocks.keys()].join(', ')}`,
  ).toBeDefined();
  return found as ReadmeBlock;
};

beforeAll(async () => {
  blocks = await readAllReadmeBlocks();
  folder = await createTempFolder('kindling-readme-');
  fixture = {
    folder: folder.path,
    bin: { ...(await createFakeInstallation(path.join(folder.path, 'bin'))) },
    kernel: await writeFakeKernel(path.join(folder.path, 'vmlinux')),
    block,
  };
});
afterAll(async () => {
  await folder[Symbol.asyncDispose]();
});

describe.concurrent("the READMEs' examples", () => {
  it('are each run here, or say why not', () => {
    const ids = [...blocks.keys()];
    const run = Object.keys(RUNS);
    const notRun = Object.keys(NOT_RUN);
    expect(without(run, without(run, notRun)), 'both run and not run').toEqual([]);
    expect(without(ids, [...run, ...notRun]), 'README blocks neither run nor said why not').toEqual(
      [],
    );
    expect(
      without([...run, ...notRun, ...Object.keys(TYPE_PRELUDES)], ids),
      'checks of README blocks that do not exist (a heading changed?)',
    ).toEqual([]);
  });

  it('type-check as written', async () => {
    const errors = await typeCheckBlocks(
      [...blocks.values()].map((example) => ({ block: example, prelude: typePrelude(example) })),
    );
    expect(
      errors.map((error) => `${error.blockId} at ${error.where}: ${error.message}`).join('\n'),
    ).toBe('');
  });

  describe('run as written, against the fakes', () => {
    // Bounded by the runs' own waits: an example, a VM it starts, a process it waits for.
    it.for(Object.entries(RUNS))('%s', { timeout: EXAMPLE_TEST_MS }, async ([id, run]) => {
      expect(run).toBeTypeOf('function');
      await run(block(id), fixture);
    });
  });
});
