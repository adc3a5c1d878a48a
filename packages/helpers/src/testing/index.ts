// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// `@kindling/helpers/testing`: what the property tests of every package share. Tests only: no
// package's src imports it, so fast-check is never bundled.

export {
  anyJsonValue,
  garbage,
  hostileString,
  withFields,
  withOneFieldChanged,
  type ChangedObject,
} from './arbitraries.js';
export {
  checkParsedOrRefused,
  checkParsedOrRefusedAsync,
  checkRefused,
  whenParsed,
  whenParsedAsync,
  type ParseOutcome,
  type RefusalRule,
} from './property-checks.js';
export {
  PATH_PLACEHOLDER,
  balloonArbitrary,
  bootSourceArbitrary,
  driveArbitrary,
  guestMacArbitrary,
  loggerArbitrary,
  machineConfigArbitrary,
  metricsArbitrary,
  mmdsAddressArbitrary,
  mmdsConfigArbitrary,
  networkInterfaceArbitrary,
  rateLimiterArbitrary,
  resourceIdArbitrary,
  vsockArbitrary,
  type GeneratedBody,
} from './firecracker-bodies.js';
export {
  StandInSpawnError,
  checkRefusedBeforeSpawn,
  createCountingSpawner,
  type CountingSpawner,
} from './counting-spawner.js';
