// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createHash } from 'node:crypto';

/**
 * A MAC address for a VM, the same every time for the same id: six bytes of the id's SHA-256,
 * made locally administered (bit 1 of the first byte set) and unicast (bit 0 clear), so it can
 * clash with no vendor's card. Upper-case, as Firecracker's docs write them.
 */
export const macAddressFor = (vmId: string): string => {
  const bytes = createHash('sha256').update(vmId, 'utf8').digest().subarray(0, 6);
  bytes[0] = ((bytes[0] ?? 0) & 0xfc) | 0x02;
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
};
