// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The Firecracker version the fake emulates, as `GET /version` reports it (no `v`). */
export const FIRECRACKER_VERSION = '1.16.1';
