// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot } from './support/run-bin.js';

// Issue 21: a clone in a folder only its owner can enter (`mkdir -m 700 ~/src`, as root), where
// Node sits in the clone's own .tooling/. A jail's uid can reach neither, so the fake jailer must
// need nothing outside the jail. This clones the repository the test runs in (its committed
// HEAD), bootstraps it, builds what the executor needs and runs the executor's jailed
// daemonize / new-pid-ns cases there.

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const CLONE_TIMEOUT_MS = 240_000;
let privateDir: string;
let clone: string;

// A fresh clone of a git checkout: only possible where the repository is one.
const isGitCheckout = existsSync(path.join(repoRoot, '.git'));

const inClone = (
  command: string,
  args: readonly string[],
  cwd = clone,
): Promise<{ stdout: string; stderr: string }> =>
  run(path.join(clone, 'tooling/bootstrap.sh'), [command, ...args], {
    cwd,
    env: {
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) => !name.startsWith('KINDLING_') && !name.startsWith('VITEST'),
        ),
      ),
      // A frozen lockfile, and packages from the machine's pnpm store, not the network.
      CI: 'true',
      npm_config_offline: 'true',
    },
    maxBuffer: 64 * 1024 * 1024,
    timeout: CLONE_TIMEOUT_MS,
  });

describe.skipIf(!isRoot || !isGitCheckout)(
  'a fresh clone in a mode-700 folder (as root; skipped otherwise: the jail needs another uid)',
  () => {
    beforeAll(async () => {
      privateDir = await mkdtemp(path.join(tmpdir(), 'kindling-private-'));
      await chmod(privateDir, 0o700);
      clone = path.join(privateDir, 'kindling');
      await run('git', ['clone', '--quiet', repoRoot, clone]);
      // Reuse this checkout's Node and pnpm (hard links) rather than download them again; they
      // still live inside the private clone, which is what matters here.
      const tooling = path.join(repoRoot, '.tooling');
      for (const part of ['node', 'pnpm']) {
        if (existsSync(path.join(tooling, part))) {
          await cp(path.join(tooling, part), path.join(clone, '.tooling', part), {
            recursive: true,
            verbatimSymlinks: true,
          });
        }
      }
      await inClone('node', [
        'tooling/turbo.ts',
        'run',
        'build',
        '--filter=@kindling/executor...',
        '--filter=@kindling/fake-vmm...',
      ]);
    }, CLONE_TIMEOUT_MS);

    afterAll(async () => {
      if (privateDir !== undefined) {
        await rm(privateDir, { recursive: true, force: true });
      }
    });

    it(
      "runs the executor's jailed --daemonize / --new-pid-ns cases from the clone",
      async () => {
        const result = await inClone(
          'pnpm',
          [
            'exec',
            'vitest',
            'run',
            'test/jailed-executor.int.test.ts',
            '-t',
            'hands over a detached Firecracker',
            '--reporter=verbose',
          ],
          path.join(clone, 'packages/executor'),
        ).catch((error: unknown) => {
          const failed = error as { stdout?: string; stderr?: string };
          throw new Error(`the clone's tests failed:\n${failed.stdout}\n${failed.stderr}`, {
            cause: error,
          });
        });
        const output = stripVTControlCharacters(result.stdout);
        for (const flags of ['--daemonize', '--new-pid-ns', '--daemonize and --new-pid-ns']) {
          expect(output).toMatch(
            new RegExp(`✓ .*hands over a detached Firecracker under ${flags}( |$)`, 'mu'),
          );
        }
        expect(output).toMatch(/Tests\s+3 passed/u);
      },
      CLONE_TIMEOUT_MS,
    );
  },
);
