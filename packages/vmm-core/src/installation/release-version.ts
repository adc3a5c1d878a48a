// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';

// Firecracker tags releases `v<major>.<minor>.<patch>`; its `--version` adds pre-release suffixes
// such as `-dev` on unreleased builds (`Firecracker v1.17.0-dev`).
const VERSION = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/u;

/**
 * A Firecracker version such as `1.16.1` or `v1.16.1`, normalised without the `v` (the form
 * `GET /version` uses).
 */
export const firecrackerVersionSchema = z
  .string()
  .regex(VERSION, { error: 'must be a Firecracker version such as "1.16.1" or "v1.16.1"' })
  .transform((value) => value.replace(/^v/u, ''));
