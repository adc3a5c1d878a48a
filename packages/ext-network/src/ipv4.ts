// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** IPv4 addresses as unsigned 32-bit numbers, and back to dotted quads. */

const OCTET = /^(?:0|[1-9]\d{0,2})$/u;

/** The number of a dotted-quad address; undefined when the text is not one. */
export const parseIpv4 = (text: string): number | undefined => {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => OCTET.test(part) && Number(part) <= 255)) {
    return undefined;
  }
  // Multiplication, not <<: a shifted first octet over 127 would turn negative.
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
};

/** The dotted quad of an address's number (0 to 2^32 - 1). */
export const formatIpv4 = (value: number): string =>
  [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');

/** The dotted netmask of a prefix length (`30` → `255.255.255.252`). */
export const netmaskOf = (prefixLength: number): string =>
  formatIpv4(2 ** 32 - 2 ** (32 - prefixLength));
