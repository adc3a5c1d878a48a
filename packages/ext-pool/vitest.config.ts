// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { definePackageTests } from '../../tooling/vitest.preset.ts';

export default definePackageTests();
