// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  checkParsedOrRefused,
  garbage,
  hostileString,
  whenParsed,
  withFields,
  withOneFieldChanged,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, property } from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectedCgroupFlags,
  expectedFlagsOf,
  readArgsByTable,
} from '../../test/support/flag-table-parser.js';
import { VmmCoreError } from '../errors.js';
import { LOGGER_LEVELS } from '../models/logger.js';
import { FIRECRACKER_FLAGS, JAILER_FLAGS } from './flags.js';
import { JailerArguments } from './jailer-arguments.js';
import { VmmArguments } from './vmm-arguments.js';

const refusal = (names: string | readonly string[]) => ({ errorClass: VmmCoreError, names });

// Text, ids and numbers as a caller might give them: valid ones, and mixed with hostile ones.
const validText = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((value) => !value.includes('\0') && !value.startsWith('--'));
const mixedText = fc.oneof(validText, hostileString());
const validId = fc.stringMatching(/^[\p{L}\p{N}][\p{L}\p{N}-]{0,19}$/u);
const mixedId = fc.oneof(fc.stringMatching(/^[\p{L}\p{N}-]{1,20}$/u), hostileString());
const validU64 = fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
const mixedU64 = fc.oneof(
  validU64,
  fc.constantFrom(-1, 1.5, 2n ** 64n, Number.MAX_SAFE_INTEGER + 2),
);
const validLevel = fc.constantFrom(...LOGGER_LEVELS);
const mixedLevel = fc.constantFrom(...LOGGER_LEVELS, 'info', 'Verbose');

interface ValueArbitraries {
  readonly text: fc.Arbitrary<string>;
  readonly id: fc.Arbitrary<string>;
  readonly u64: fc.Arbitrary<number | bigint>;
  readonly level: fc.Arbitrary<string>;
  readonly u32: fc.Arbitrary<number>;
  readonly cgroupVersion: fc.Arbitrary<unknown>;
}

const VALID: ValueArbitraries = {
  text: validText,
  id: validId,
  u64: validU64,
  level: validLevel,
  u32: fc.nat({ max: 2 ** 32 - 1 }),
  cgroupVersion: fc.constantFrom(1, 2),
};
const MIXED: ValueArbitraries = {
  text: mixedText,
  id: mixedId,
  u64: mixedU64,
  level: mixedLevel,
  u32: fc.oneof(VALID.u32, fc.constantFrom(-1, 2 ** 32, 0.5)),
  cgroupVersion: fc.constantFrom(1, 2, 3, '2'),
};

// Options of VmmArguments, one arbitrary per firecracker flag (file options as paths). The
// switches that only print and exit are left out; --no-seccomp, --seccomp-filter and --no-api
// come with what they need or forbid decided by the generator, so both sides of each rule occur.
const vmmOptionsOf = (values: ValueArbitraries) =>
  fc.record(
    {
      apiSocket: values.text,
      id: values.id,
      configFile: values.text,
      metadata: values.text,
      logPath: values.text,
      level: values.level,
      module: values.text,
      showLevel: fc.boolean(),
      showLogOrigin: fc.boolean(),
      metricsPath: values.text,
      bootTimer: fc.boolean(),
      seccompFilter: values.text,
      startTimeUs: values.u64,
      startTimeCpuUs: values.u64,
      parentCpuTimeUs: values.u64,
      httpApiMaxPayloadSize: values.u64,
      mmdsSizeLimit: values.u64,
      enablePci: fc.boolean(),
    },
    { requiredKeys: [] },
  );
const vmmOptions = fc.oneof(
  vmmOptionsOf(MIXED),
  vmmOptionsOf(MIXED).chain((options) =>
    fc
      .record({ noApi: fc.boolean(), noSeccomp: fc.boolean() })
      .map((switches) => withFields(options, switches)),
  ),
);
const validVmmOptions = vmmOptionsOf(VALID);

const cgroupFileOf = (valid: boolean) =>
  valid
    ? fc.stringMatching(/^[a-z]{1,6}\.[a-z_]{1,8}$/u)
    : fc.oneof(fc.stringMatching(/^[a-z]{1,6}\.[a-z_]{1,8}$/u), hostileString());
const jailerOptionsOf = (values: ValueArbitraries, valid: boolean) =>
  fc.record(
    {
      id: values.id,
      execFile: values.text,
      uid: values.u32,
      gid: values.u32,
      chrootBaseDir: values.text,
      netns: values.text,
      daemonize: fc.boolean(),
      newPidNs: fc.boolean(),
      cgroups: fc.dictionary(
        cgroupFileOf(valid),
        values.text.filter((value) => !value.includes('=')),
        { maxKeys: 3 },
      ),
      cgroupVersion: values.cgroupVersion,
      parentCgroup: fc.oneof(fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8}){0,2}$/u), values.text),
      resourceLimits: fc.record(
        { maxFileSizeBytes: values.u64, maxOpenFiles: values.u64 },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['id', 'execFile', 'uid', 'gid'] },
  );
const jailerOptions = jailerOptionsOf(MIXED, false);
const validJailerOptions = jailerOptionsOf(VALID, true).filter(
  (options) =>
    !options.parentCgroup?.startsWith('/') &&
    !(options.parentCgroup ?? '').split('/').some((part) => part === '.' || part === '..'),
);

describe('VmmArguments', () => {
  it('given anything, is built or refuses it with ERR_INVALID_INPUT naming vmmArguments', () => {
    assert(
      property(garbage(), (options) => {
        checkParsedOrRefused(
          () => new VmmArguments(options as never).toArgs(),
          refusal('vmmArguments'),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('emits only what the flag table reads back, as given, for every option set it accepts', () => {
    assert(
      property(vmmOptions, (options) => {
        whenParsed(
          checkParsedOrRefused(() => new VmmArguments(options as never), refusal('vmmArguments')),
          (parsed) => {
            const { flags, rest } = readArgsByTable(FIRECRACKER_FLAGS, parsed.toArgs());
            expect(rest).toBeUndefined();
            expect(flags).toEqual(expectedFlagsOf({ ...options, id: parsed.id }));
          },
        );
      }),
      { numRuns: 500 },
    );
  });

  it('with one option changed, refuses naming vmmArguments.<option> or still emits a readable argv', () => {
    assert(
      property(withOneFieldChanged(validVmmOptions), ({ value, field }) => {
        whenParsed(
          checkParsedOrRefused(
            () => new VmmArguments(value as never),
            // A relation (--no-api needs --config-file) is reported at the option that states it.
            refusal([
              `vmmArguments.${field}`,
              `vmmArguments: unknown`,
              'vmmArguments.noApi',
              'vmmArguments.apiSocket',
              'vmmArguments.seccompFilter',
            ]),
          ),
          (parsed) => {
            readArgsByTable(FIRECRACKER_FLAGS, parsed.toArgs());
          },
        );
      }),
      { numRuns: 300 },
    );
  });

  it('with(changes) takes anything and refuses naming vmmArguments, or emits a readable argv', () => {
    assert(
      property(vmmOptions, garbage(), (options, changes) => {
        const base = checkParsedOrRefused(
          () => new VmmArguments(options as never),
          refusal('vmmArguments'),
        );
        whenParsed(base, (parsed) => {
          whenParsed(
            checkParsedOrRefused(() => parsed.with(changes as never), refusal('vmmArguments')),
            (changed) => {
              readArgsByTable(FIRECRACKER_FLAGS, changed.toArgs());
            },
          );
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('JailerArguments', () => {
  it('given anything, is built or refuses it with ERR_INVALID_INPUT naming jailerArguments', () => {
    assert(
      property(garbage(), (options) => {
        checkParsedOrRefused(
          () => new JailerArguments(options as never).toArgs(),
          refusal('jailerArguments'),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('emits only what the jailer flag table reads back, as given, then -- and the VMM flags', () => {
    assert(
      property(jailerOptions, vmmOptions, (options, vmm) => {
        whenParsed(
          checkParsedOrRefused(
            () => new JailerArguments(options as never).toArgs(new VmmArguments(vmm as never)),
            refusal(['jailerArguments', 'vmmArguments']),
          ),
          (argv) => {
            const { flags, rest } = readArgsByTable(JAILER_FLAGS, argv);
            expect(flags).toMatchObject(
              expectedFlagsOf({
                id: options.id,
                execFile: options.execFile,
                uid: options.uid,
                gid: options.gid,
                chrootBaseDir: options.chrootBaseDir,
                netns: options.netns,
                daemonize: options.daemonize,
                newPidNs: options.newPidNs,
                cgroupVersion: options.cgroupVersion,
                parentCgroup: options.parentCgroup,
              }),
            );
            expect(flags).toMatchObject(expectedCgroupFlags(options.cgroups));
            const vmmRead = readArgsByTable(FIRECRACKER_FLAGS, rest as string[]);
            // The jailer gives Firecracker its id and start times itself.
            expect(vmmRead.flags).not.toHaveProperty('id');
            expect(vmmRead.flags).not.toHaveProperty('startTimeUs');
          },
        );
      }),
      { numRuns: 500 },
    );
  });

  it('with one option changed, refuses naming jailerArguments.<option> or still emits a readable argv', () => {
    assert(
      property(withOneFieldChanged(validJailerOptions), ({ value, field }) => {
        whenParsed(
          checkParsedOrRefused(
            () => new JailerArguments(value as never),
            refusal([`jailerArguments.${field}`, 'jailerArguments: unknown']),
          ),
          (parsed) => {
            readArgsByTable(JAILER_FLAGS, parsed.toArgs());
          },
        );
      }),
      { numRuns: 300 },
    );
  });
});
