// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/parse.bench.ts` (from packages/ext-snapshot-editor).
// What parsing adds to a `readVmState()`: parseRustDebug on a text shaped and sized like the
// `info-vmstate vm-state` of a real one-vCPU Firecracker v1.16.1 VM (about 105 KiB, 76 CPUID
// entries, MSRs, xsave words), against one run of the fake snapshot-editor's `--version`, the
// least a run of the binary costs (a process start).

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createFakeInstallation } from '@kindling/fake-vmm';
import { parseRustDebug } from '@kindling/ext-snapshot-editor';
import { recordFigure, sampleCount } from '../../../tooling/bench-stats.ts';

const execFileAsync = promisify(execFile);
const PARSE_SAMPLES = sampleCount(200, 50);
const PARSE_WARMUP = 20;
const RUN_SAMPLES = sampleCount(20, 10);

const indent = (text: string): string => text.replaceAll('\n', '\n    ');

const list = (items: readonly string[]): string =>
  items.length === 0 ? '[]' : `[\n${items.map((item) => `    ${indent(item)},\n`).join('')}]`;

const struct = (name: string, fields: readonly (readonly [string, string])[]): string =>
  `${name} {\n${fields.map(([key, value]) => `    ${key}: ${indent(value)},\n`).join('')}}`;

// A MicrovmState of the real one's shape: the bulk is CPUID entries, MSRs and xsave words.
const buildVmStateText = (): string => {
  const cpuid = Array.from({ length: 76 }, (_, index) =>
    struct('kvm_cpuid_entry2', [
      ['function', String(index)],
      ['index', '0'],
      ['flags', '0'],
      ['eax', '28'],
      ['ebx', '1752462657'],
      ['ecx', '1145913699'],
      ['edx', '1769238117'],
      ['padding', list(['0', '0', '0'])],
    ]),
  );
  const msrs = Array.from({ length: 40 }, (_, index) =>
    struct('kvm_msr_entry', [
      ['index', String(3221225472 + index)],
      ['reserved', '0'],
      ['data', '18446744071612720510'],
    ]),
  );
  const xsave = Array.from({ length: 2600 }, (_, index) => String(index * 7));
  const vcpu = struct('VcpuState', [
    ['cpuid', struct('FamStructWrapper', [['entries', list(cpuid)]])],
    ['saved_msrs', list([struct('FamStructWrapper', [['entries', list(msrs)]])])],
    [
      'regs',
      struct('kvm_regs', [
        ['rip', '18446744071612720510'],
        ['rflags', '65542'],
      ]),
    ],
    ['xsave', struct('kvm_xsave', [['region', list(xsave)]])],
    ['tsc_khz', `Some(\n    2495998,\n)`],
  ]);
  return `${struct('MicrovmState', [
    [
      'vm_info',
      struct('VmInfo', [
        ['mem_size_mib', '128'],
        ['boot_source', struct('BootSourceConfig', [['kernel_image_path', '"/vmlinux"']])],
      ]),
    ],
    ['vcpu_states', list([vcpu])],
  ])}\n`;
};

const benchParse = (text: string): number[] => {
  const samples: number[] = [];
  for (let index = 0; index < PARSE_WARMUP + PARSE_SAMPLES; index += 1) {
    const start = performance.now();
    parseRustDebug(text);
    if (index >= PARSE_WARMUP) {
      samples.push(performance.now() - start);
    }
  }
  return samples;
};

const benchRun = async (): Promise<number[]> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-bench-snapedit-'));
  try {
    const { snapshotEditorPath } = await createFakeInstallation(dir);
    const samples: number[] = [];
    for (let index = 0; index < RUN_SAMPLES; index += 1) {
      const start = performance.now();
      await execFileAsync(snapshotEditorPath, ['--version']);
      samples.push(performance.now() - start);
    }
    return samples;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

const text = buildVmStateText();
const parse = benchParse(text);
const run = await benchRun();
console.log(
  `vm-state text: ${(text.length / 1024).toFixed(1)} KiB, ${text.split('\n').length} lines`,
);
// The run of the binary is the least a readVmState() costs besides parsing: the ratio is the
// share parsing adds.
recordFigure({
  name: 'ext-snapshot-editor: parseRustDebug of a one-vCPU vm-state',
  unit: 'ms',
  samples: parse,
  baseline: run,
  baselineName: 'one run of the fake snapshot-editor --version',
});
