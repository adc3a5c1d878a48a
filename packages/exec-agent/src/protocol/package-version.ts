// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import manifest from '../../package.json' with { type: 'json' };

/** This package's version, which the agent names in its HELLO. */
export const EXEC_AGENT_VERSION: string = manifest.version;
