#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import process from 'node:process';
import { runSnapshotEditor } from '../snapshot-editor/run-snapshot-editor.js';

process.exitCode = await runSnapshotEditor({
  argv: process.argv.slice(2),
  stdout: process.stdout,
  stderr: process.stderr,
});
