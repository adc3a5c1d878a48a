// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Arbitraries of configuration bodies that Firecracker v1.16.1 accepts before boot, on x86_64,
// field by field: the property tests mutate them, and the conformance test sends them. Host paths
// are placeholders (`PATH_PLACEHOLDER`) that a test replaces with files it made; ids and names
// that must match something else (an interface, a TAP) are left for the test to set as well.
// Fields newer than v1.16.1 (FIRECRACKER_HEAD_ONLY_FIELDS) are never generated.

import * as fc from 'fast-check';
import { withFields } from './arbitraries.js';
import { type Arbitrary } from 'fast-check';

/** What a generated body has where a host path goes: the test replaces it with a real file. */
export const PATH_PLACEHOLDER = '/kindling-path-placeholder';

/** A body as generated: its top-level fields are Firecracker's snake_case names. */
export type GeneratedBody = Readonly<Record<string, unknown>>;

// Generated bodies leave an optional field out (rather than set to undefined), as a user would.
const body = (fields: Record<string, Arbitrary<unknown>>, required: readonly string[]) =>
  fc.record(fields, { requiredKeys: required as string[] }) as Arbitrary<GeneratedBody>;

/** An API resource id (`drive_id`, `iface_id`): Unicode letters, digits and `_`. */
export const resourceIdArbitrary: Arbitrary<string> = fc.stringMatching(/^[\p{L}\p{N}_]{1,16}$/u);

// serde accepts any well-formed string; a lone surrogate is not one (JSON escapes it, serde refuses).
const wellFormedString = (maxLength = 32): Arbitrary<string> =>
  fc.string({ unit: 'grapheme', maxLength });

const u64 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

const tokenBucket = body({ size: u64, refill_time: u64, one_time_burst: u64 }, [
  'size',
  'refill_time',
]);

/** A `RateLimiter`: either bucket, both or none. */
export const rateLimiterArbitrary: Arbitrary<GeneratedBody> = body(
  { bandwidth: tokenBucket, ops: tokenBucket },
  [],
);

/** `PUT /machine-config` (x86_64: the static templates of Intel and AMD hosts are left out). */
export const machineConfigArbitrary: Arbitrary<GeneratedBody> = fc
  .record(
    {
      vcpu_count: fc.integer({ min: 1, max: 32 }),
      mem_size_mib: fc.integer({ min: 1, max: 1 << 20 }),
      smt: fc.boolean(),
      track_dirty_pages: fc.boolean(),
      huge_pages: fc.constantFrom('None', '2M'),
    },
    { requiredKeys: ['vcpu_count', 'mem_size_mib'] },
  )
  .map((config) =>
    withFields(config, {
      // SMT wants 1 or an even vCPU count; 2M pages an even memory size.
      vcpu_count:
        config.smt === true && config.vcpu_count > 1 && config.vcpu_count % 2 === 1
          ? config.vcpu_count - 1
          : config.vcpu_count,
      mem_size_mib:
        config.huge_pages === '2M'
          ? config.mem_size_mib + (config.mem_size_mib % 2)
          : config.mem_size_mib,
    }),
  );

/** `PUT /boot-source`: the kernel (and initrd) paths are placeholders. */
export const bootSourceArbitrary: Arbitrary<GeneratedBody> = body(
  {
    kernel_image_path: fc.constant(PATH_PLACEHOLDER),
    initrd_path: fc.constant(PATH_PLACEHOLDER),
    boot_args: fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCodePoint(code)),
      maxLength: 200,
    }),
  },
  ['kernel_image_path'],
);

/** `PUT /drives/{drive_id}`, virtio-block (a vhost-user drive needs a backend to accept it). */
export const driveArbitrary: Arbitrary<GeneratedBody> = body(
  {
    drive_id: resourceIdArbitrary,
    is_root_device: fc.boolean(),
    partuuid: wellFormedString(),
    cache_type: fc.constantFrom('Unsafe', 'Writeback'),
    path_on_host: fc.constant(PATH_PLACEHOLDER),
    is_read_only: fc.boolean(),
    rate_limiter: rateLimiterArbitrary,
    io_engine: fc.constant('Sync'),
  },
  ['drive_id', 'is_root_device', 'path_on_host'],
);

/** A guest MAC address, hex digits in either case. */
export const guestMacArbitrary: Arbitrary<string> = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 })
  .chain((octets) =>
    fc.boolean().map((upper) => {
      const text = octets.map((octet) => octet.toString(16).padStart(2, '0')).join(':');
      return upper ? text.toUpperCase() : text;
    }),
  );

/** `PUT /network-interfaces/{iface_id}`: `host_dev_name` must name a TAP the test made. */
export const networkInterfaceArbitrary: Arbitrary<GeneratedBody> = body(
  {
    iface_id: resourceIdArbitrary,
    host_dev_name: fc.constant('tap0'),
    guest_mac: guestMacArbitrary,
    mtu: fc.integer({ min: 68, max: 65_535 }),
    rx_rate_limiter: rateLimiterArbitrary,
    tx_rate_limiter: rateLimiterArbitrary,
  },
  ['iface_id', 'host_dev_name'],
);

/** `PUT /vsock`: `uds_path` is a placeholder (it must not exist yet). */
export const vsockArbitrary: Arbitrary<GeneratedBody> = body(
  {
    guest_cid: fc.integer({ min: 3, max: 0xff_ff_ff_ff }),
    uds_path: fc.constant(PATH_PLACEHOLDER),
  },
  ['guest_cid', 'uds_path'],
);

/** `PUT /balloon`, with `amount_mib` at most `maxAmountMib` (the guest's memory). */
export const balloonArbitrary = (maxAmountMib: number): Arbitrary<GeneratedBody> =>
  body(
    {
      amount_mib: fc.integer({ min: 0, max: maxAmountMib }),
      deflate_on_oom: fc.boolean(),
      stats_polling_interval_s: fc.integer({ min: 0, max: 0xff_ff }),
      free_page_hinting: fc.boolean(),
      free_page_reporting: fc.boolean(),
    },
    ['amount_mib', 'deflate_on_oom'],
  );

/** A link-local MMDS address, 169.254.x.y with x from 1 to 254. */
export const mmdsAddressArbitrary: Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 0, max: 255 }))
  .map(([third, fourth]) => `169.254.${third}.${fourth}`);

/** `PUT /mmds/config`: `network_interfaces` must name interfaces the test added. */
export const mmdsConfigArbitrary = (interfaces: readonly string[]): Arbitrary<GeneratedBody> =>
  body(
    {
      network_interfaces: fc.subarray([...interfaces], { minLength: 1 }),
      version: fc.constantFrom('V1', 'V2'),
      ipv4_address: mmdsAddressArbitrary,
      imds_compat: fc.boolean(),
    },
    ['network_interfaces'],
  );

/** `PUT /logger`: `log_path` is a placeholder. */
export const loggerArbitrary: Arbitrary<GeneratedBody> = body(
  {
    log_path: fc.constant(PATH_PLACEHOLDER),
    level: fc
      .tuple(
        fc.constantFrom('Off', 'Trace', 'Debug', 'Info', 'Warn', 'Warning', 'Error'),
        fc.constantFrom('as-is', 'lower', 'upper'),
      )
      .map(([level, spelling]) =>
        spelling === 'lower'
          ? level.toLowerCase()
          : spelling === 'upper'
            ? level.toUpperCase()
            : level,
      ),
    show_level: fc.boolean(),
    show_log_origin: fc.boolean(),
  },
  [],
);

/** `PUT /metrics`: `metrics_path` is a placeholder. */
export const metricsArbitrary: Arbitrary<GeneratedBody> = body(
  { metrics_path: fc.constant(PATH_PLACEHOLDER) },
  ['metrics_path'],
);
