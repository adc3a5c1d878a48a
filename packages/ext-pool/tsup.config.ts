// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { definePackageBuild } from '../../tooling/tsup.preset.ts';

export default definePackageBuild();
