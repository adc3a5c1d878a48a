// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  PATH_PLACEHOLDER,
  balloonArbitrary,
  bootSourceArbitrary,
  checkParsedOrRefused,
  driveArbitrary,
  garbage,
  hostileString,
  loggerArbitrary,
  machineConfigArbitrary,
  metricsArbitrary,
  mmdsConfigArbitrary,
  networkInterfaceArbitrary,
  vsockArbitrary,
  whenParsed,
  withOneFieldChanged,
} from '@kindling/helpers/testing';
import { vmmConfigFileSchema } from '@kindling/vmm-core';
import * as fc from 'fast-check';
import { assert, property } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildConfigFileDocument } from './config-file-document.js';
import { listConfigurationFiles } from './configuration-files.js';
import { VmError } from './errors.js';
import { parseVmConfiguration } from './parse-configuration.js';

const refusal = (names: string | readonly string[]) => ({ errorClass: VmError, names });

// Distinct absolute paths per item, so no two items name one file.
const pathsOf = (body: Readonly<Record<string, unknown>>, name: string) =>
  Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      value === PATH_PLACEHOLDER ? `/vm/${name}/${key}` : value,
    ]),
  );

/** A configuration Firecracker accepts, built from the bodies its API takes. */
const validConfiguration = fc
  .record({
    bootSource: bootSourceArbitrary,
    machineConfig: machineConfigArbitrary,
    drive: driveArbitrary,
    networkInterface: networkInterfaceArbitrary,
    vsock: vsockArbitrary,
    logger: loggerArbitrary,
    metrics: metricsArbitrary,
    mmdsConfig: mmdsConfigArbitrary(['eth0']),
  })
  .chain((items) =>
    balloonArbitrary(items.machineConfig['mem_size_mib'] as number).map((balloon) => ({
      bootSource: pathsOf(items.bootSource, 'boot'),
      machineConfig: items.machineConfig,
      drives: [pathsOf(items.drive, 'drive')],
      networkInterfaces: [{ ...items.networkInterface, iface_id: 'eth0' }],
      vsock: pathsOf(items.vsock, 'vsock'),
      logger: pathsOf(items.logger, 'logger'),
      metrics: pathsOf(items.metrics, 'metrics'),
      mmdsConfig: items.mmdsConfig,
      balloon,
    })),
  );

// An item of a valid configuration with one field changed, or the item itself replaced.
const nearlyValidConfiguration = validConfiguration.chain((configuration) =>
  fc.oneof(
    withOneFieldChanged(fc.constant(configuration), fc.oneof(garbage(), hostileString())).map(
      ({ value, field }) => ({ value, field, key: field }),
    ),
    fc
      .constantFrom(
        'bootSource',
        'machineConfig',
        'vsock',
        'logger',
        'metrics',
        'mmdsConfig',
        'balloon',
      )
      .chain((item) =>
        withOneFieldChanged(
          fc.constant(configuration[item] as Record<string, unknown>),
          fc.oneof(garbage(), hostileString()),
        ).map(({ value, field }) => ({
          value: { ...configuration, [item]: value },
          field: `${item}.${field}`,
          key: field,
        })),
      ),
  ),
);

describe('parseVmConfiguration', () => {
  it('given anything, parses it or refuses it with ERR_INVALID_INPUT naming the configuration', () => {
    assert(
      property(garbage(), (value) => {
        checkParsedOrRefused(() => parseVmConfiguration(value), refusal('configuration'));
      }),
      { numRuns: 300 },
    );
  });

  it('parses every valid configuration, and the config file it makes is one Firecracker reads', () => {
    assert(
      property(
        validConfiguration,
        fc.constantFrom('new-via-api', 'new-via-config-file'),
        (configuration, kind) => {
          const parsed = parseVmConfiguration({ ...configuration, kind });
          expect(
            vmmConfigFileSchema.safeParse(
              buildConfigFileDocument(parsed as Parameters<typeof buildConfigFileDocument>[0]),
            ).success,
          ).toBe(true);
          expect(
            listConfigurationFiles(parsed, 'copy')
              .map((file) => file.path)
              .toSorted(),
          ).toEqual(
            [
              ...new Set(listConfigurationFiles(parsed, 'copy').map((file) => file.path)),
            ].toSorted(),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with one field changed, refuses naming it, or parses into a config file Firecracker reads', () => {
    assert(
      property(
        nearlyValidConfiguration,
        fc.constantFrom('new-via-api', 'new-via-config-file'),
        ({ value, field, key }, kind) => {
          whenParsed(
            checkParsedOrRefused(
              () => parseVmConfiguration({ ...value, kind }),
              // A changed item may break a rule between items (a balloon larger than the memory, an
              // MMDS interface that does not exist, a path two items share): those name the item.
              refusal([
                `configuration.${field}`,
                `"${key}"`,
                'configuration.balloon',
                'configuration.machineConfig',
                'configuration.mmdsConfig',
                'configuration.networkInterfaces',
                'configuration: ',
              ]),
            ),
            (parsed) => {
              expect(
                vmmConfigFileSchema.safeParse(
                  buildConfigFileDocument(parsed as Parameters<typeof buildConfigFileDocument>[0]),
                ).error,
              ).toBeUndefined();
            },
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
