// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { tapOpenError } from './tap-device.js';

describe('tapOpenError', () => {
  it('refuses a device that is not a TAP (the loopback) as TUNSETIFF does, EINVAL', () => {
    expect(tapOpenError('lo')).toBe(
      'Open tap device failed: Error while creating ifreq structure: Invalid argument (os error 22). Invalid TUN/TAP Backend provided by lo. Check our documentation on setting up the network devices.',
    );
  });

  it('accepts a name no device has (Firecracker as root would create the TAP)', () => {
    expect(tapOpenError('kt-nonexistent')).toBeUndefined();
  });
});
