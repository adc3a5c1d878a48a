// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// No imports: the torn writer runs this file with plain Node.

/** A metrics line as Firecracker writes it (with its newline), `n` in every counter. */
export const metricsLine = (n: number, timestampMs = 1_700_000_000_000 + n): string =>
  `${JSON.stringify({
    utc_timestamp_ms: timestampMs,
    api_server: { process_startup_time_us: 900, process_startup_time_cpu_us: 40 },
    block: { read_bytes: n * 512, read_count: n },
    block_rootfs: { read_bytes: n * 512, read_count: n },
    latencies_us: { pause_vm: n },
    signals: { sigpipe: n, sigsegv: 0 },
  })}\n`;
