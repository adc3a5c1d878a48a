// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { apiResourceIdSchema } from './resource-id.js';
import {
  addRuleIssue,
  denyUnknownFields,
  expecting,
  isWellFormedText,
  serdeOption,
  wireBoolean,
  wireEnum,
} from './wire-types.js';

/** The address MMDS answers on when `ipv4_address` is not given. */
export const DEFAULT_MMDS_IPV4_ADDRESS = '169.254.169.254';

// 169.254.x.y with x neither 0 nor 255 (Firecracker's `is_link_local_valid`), written as Rust's
// `Ipv4Addr` parser accepts it: four decimal octets without leading zeros.
const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)`;
const THIRD_OCTET = String.raw`(?:25[0-4]|2[0-4]\d|1\d\d|[1-9]\d|[1-9])`;
const MMDS_ADDRESS = new RegExp(String.raw`^169\.254\.${THIRD_OCTET}\.${OCTET}$`, 'u');

/**
 * The zod schema of an `MmdsConfig` (`PUT /mmds/config`, before boot; `mmds-config` in a config
 * file and in `GET /vm/config`). Unknown fields are rejected.
 *
 * The interfaces must exist before the call, and a later PUT of one of them detaches it from
 * MMDS. `version` defaults to `V1`, which is deprecated: omitting it or sending `V1` adds
 * `Deprecation: true` to the response, so send `V2`. The config is saved in snapshots; the data
 * store is not.
 */
export const mmdsConfigSchema = denyUnknownFields('MmdsConfig', {
  /**
   * Ids of the network interfaces that answer MMDS requests; non-empty, and each must name an
   * existing interface (`"The list of network interface IDs that allow forwarding MMDS requests
   * is empty."`).
   */
  network_interfaces: z
    .array(apiResourceIdSchema, expecting('an array of network interface ids'))
    .min(1, {
      error:
        'must name at least one network interface (Firecracker: "The list of network interface IDs that allow forwarding MMDS requests is empty.")',
    }),
  /** `V1` (default, deprecated) or `V2` (session tokens). */
  version: wireEnum(['V1', 'V2']).optional(),
  /**
   * The address MMDS answers on: 169.254.x.y with x from 1 to 254 (`"The MMDS IPv4 address is
   * not link local."`). Default 169.254.169.254.
   */
  ipv4_address: serdeOption(
    z.string(expecting('an IPv4 address string')).regex(MMDS_ADDRESS, {
      error:
        'must be a link-local address 169.254.x.y with x from 1 to 254, such as "169.254.169.254" (Firecracker: "The MMDS IPv4 address is not link local.")',
    }),
  ),
  /** Answer in EC2 IMDS text format whatever the request's `Accept` says. Default false. */
  imds_compat: wireBoolean().optional(),
});

/**
 * The MMDS (microVM metadata service) configuration.
 *
 * @interface
 */
export type MmdsConfig = z.infer<typeof mmdsConfigSchema>;

/** The contents of the MMDS data store: any JSON value. */
export type MmdsContents =
  string | number | boolean | null | MmdsContents[] | { [key: string]: MmdsContents };

const isPlainObject = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

// The path of the first value JSON cannot carry (undefined, NaN, a Date, a Map…), or undefined.
const findNonJson = (value: unknown, path: PropertyKey[]): PropertyKey[] | undefined => {
  if (value === null || typeof value === 'boolean') {
    return undefined;
  }
  if (typeof value === 'string') {
    return isWellFormedText(value) ? undefined : path;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : path;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNonJson(item, [...path, index]);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      // A key is a JSON string too.
      const found = isWellFormedText(key) ? findNonJson(item, [...path, key]) : [...path, key];
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  return path;
};

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown>)[key], root);

/**
 * The zod schema of the MMDS data store (`PUT`, `PATCH` and `GET /mmds`; `--metadata`): any JSON
 * value. PATCH merges as RFC 7396 and needs a prior PUT. The store's serialized size is limited by
 * `--mmds-size-limit` (413 `"MMDS limit exceeded error: …"` beyond it). A value JSON cannot carry
 * (`undefined`, `NaN`, a `Date`, a `Map`…) is reported at its path.
 */
export const mmdsContentsSchema = z.custom<MmdsContents>().superRefine((contents, context) => {
  const path = findNonJson(contents, []);
  if (path === undefined) {
    return;
  }
  const value = valueAt(contents, path);
  addRuleIssue(
    context,
    path,
    `${value === undefined ? 'is required: ' : ''}expected a JSON value (string without lone UTF-16 surrogates, finite number, boolean, null, array or plain object)`,
    value,
  );
});
