// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The device models that a whole-VM document (`GET /vm/config`, `--config-file`) lists, gathered
// so that those documents read them from one place.
export { balloonSchema } from './balloon.js';
export { driveSchema } from './drives.js';
export { entropyDeviceSchema } from './entropy.js';
export { memoryHotplugConfigSchema } from './memory-hotplug.js';
export { networkInterfaceSchema } from './network.js';
export { pmemSchema } from './pmem.js';
export { vsockSchema } from './vsock.js';
