#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { runCli } from '../run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), { entry: import.meta.filename });
