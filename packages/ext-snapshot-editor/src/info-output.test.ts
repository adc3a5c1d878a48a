// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import {
  EditorOutputError,
  parseVcpuStatesOutput,
  parseVersionOutput,
  parseVmStateOutput,
} from './info-output.js';

describe('parseVersionOutput', () => {
  it('reads `v10.0.0` and its newline', () => {
    expect(parseVersionOutput('v10.0.0\n')).toEqual({
      text: 'v10.0.0',
      major: 10,
      minor: 0,
      patch: 0,
    });
  });

  it.each(['10.0.0\n', 'v10.0\n', 'v10.0.0', 'v10.0.0\nmore\n', ''])('refuses %j', (text) => {
    expect(() => parseVersionOutput(text)).toThrow(EditorOutputError);
  });
});

describe('parseVcpuStatesOutput', () => {
  // What the real v1.16.1 prints, shortened, and the fake's hex registers.
  const text = [
    'vcpu 0:',
    'VcpuState {',
    '    regs: kvm_regs {',
    '        rip: 18446744071612720510,',
    '    },',
    '    tsc_khz: Some(',
    '        2495998,',
    '    ),',
    '}',
    'vcpu 1:',
    'VcpuState {',
    '    index: 1,',
    '    regs: kvm_regs {',
    '        rip: 0xffffffff81e00000,',
    '    },',
    '}',
    '',
  ].join('\n');

  it('reads each vCPU in order, with its index', () => {
    expect(parseVcpuStatesOutput(text)).toEqual([
      {
        index: 0,
        state: {
          $type: 'VcpuState',
          regs: { $type: 'kvm_regs', rip: 18_446_744_071_612_720_510n },
          tsc_khz: 2_495_998,
        },
      },
      {
        index: 1,
        state: {
          $type: 'VcpuState',
          index: 1,
          regs: { $type: 'kvm_regs', rip: 0xff_ff_ff_ff_81_e0_00_00n },
        },
      },
    ]);
  });

  it('reads no vCPUs from no output', () => {
    expect(parseVcpuStatesOutput('')).toEqual([]);
  });

  it('refuses text before the first vCPU', () => {
    expect(() => parseVcpuStatesOutput(`warning\n${text}`)).toThrow(/expected "vcpu 0:" first/u);
  });
});

describe('parseVmStateOutput', () => {
  it('reads the MicrovmState struct', () => {
    expect(
      parseVmStateOutput(
        'MicrovmState {\n    vm_info: VmInfo {\n        mem_size_mib: 128,\n    },\n}\n',
      ),
    ).toEqual({
      $type: 'MicrovmState',
      vm_info: { $type: 'VmInfo', mem_size_mib: 128 },
    });
  });

  it('refuses a value that is not a struct', () => {
    expect(() => parseVmStateOutput('[1]\n')).toThrow(EditorOutputError);
  });
});
