// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  EXAMPLE_TEST_MS,
  catchError,
  createExampleFixture,
  isRoot,
  listLeftoverFiles,
  runTypeScriptExample,
  TEST_WAIT_MS,
  type ExampleFixture,
} from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';

const examplesDir = fileURLToPath(new URL('..', import.meta.url));

// What may stay in the temporary folder: Kindling's own folder of process records and socket
// links, kept across runs, with nothing in it.
const KEPT = /^kindling-\d+(\/(processes|run))?$/u;

/**
 * Runs `examples/<name>.ts` as `node examples/<name>.ts` would, with the fakes and their kernel in
 * the KINDLING_* variables (whatever this run's backend: the examples are about being runnable),
 * and the temporary folder inside the fixture, so that what an example leaves behind is seen.
 */
const runExample = async (
  name: string,
  fixture: ExampleFixture,
  env: NodeJS.ProcessEnv = {},
): Promise<string> => {
  const { installation, kernelPath, tempDir } = fixture.paths;
  await mkdir(tempDir, { recursive: true });
  const url = pathToFileURL(path.join(examplesDir, `${name}.ts`)).href;
  return runTypeScriptExample(`await import(${JSON.stringify(url)});`, {
    cwd: examplesDir,
    env: {
      KINDLING_FIRECRACKER: installation.firecrackerPath,
      KINDLING_JAILER: installation.jailerPath,
      KINDLING_SNAPSHOT_EDITOR: installation.snapshotEditorPath,
      KINDLING_KERNEL: kernelPath,
      // Unset: the fake kernel boots without an initrd, and the fake guest prints its own marker.
      KINDLING_INITRD: undefined,
      KINDLING_GUEST_READY_LINE: undefined,
      // The tests' bound: turbo runs every package's tests at once on CI's two cores.
      KINDLING_SOCKET_WAIT_MS: String(TEST_WAIT_MS),
      TMPDIR: tempDir,
      ...env,
    },
  });
};

const leftovers = (fixture: ExampleFixture): Promise<string[]> =>
  listLeftoverFiles(fixture.paths.tempDir, KEPT);

describe('the examples run against the fakes and print what their comments say', () => {
  it(
    'boot.ts boots a VM, reads its info and machine config, and shuts it down gracefully',
    async () => {
      await using fixture = await createExampleFixture('kindling-example-boot-');
      expect(await runExample('boot', fixture)).toBe(
        [
          'running: Firecracker 1.16.1 says Running',
          '1 vCPU, 128 MiB',
          'shut down by ctrl-alt-del (graceful)',
          '',
        ].join('\n'),
      );
      expect(await leftovers(fixture)).toEqual([]);
    },
    EXAMPLE_TEST_MS,
  );

  it.skipIf(!isRoot)(
    'jailed.ts boots a VM under the jailer as nobody and removes the jail [needs root: the jailer does]',
    async () => {
      await using fixture = await createExampleFixture('kindling-example-jailed-');
      expect(await runExample('jailed', fixture)).toBe(
        [
          'running: jailed-example says Running',
          'jail: jail/firecracker/jailed-example/root exists',
          'shut down by ctrl-alt-del (graceful)',
          'after cleanup: jail removed',
          '',
        ].join('\n'),
      );
      expect(await leftovers(fixture)).toEqual([]);
    },
    EXAMPLE_TEST_MS,
  );

  it(
    'snapshot-restore.ts snapshots a VM, copies the snapshot, and restores the copy',
    async () => {
      await using fixture = await createExampleFixture('kindling-example-snapshot-');
      expect(await runExample('snapshot-restore', fixture)).toBe(
        [
          'original: running, 1 vCPU, 128 MiB',
          'snapshot: Full, copied to kept/vm.state',
          'restored: running, 1 vCPU, 128 MiB',
          '',
        ].join('\n'),
      );
      expect(await leftovers(fixture)).toEqual([]);
    },
    EXAMPLE_TEST_MS,
  );

  it(
    'http-vsock.ts POSTs /ping to the guest over vsock with vsockFetch and a dispatcher',
    async () => {
      await using fixture = await createExampleFixture('kindling-example-http-');
      expect(await runExample('http-vsock', fixture)).toBe(
        'vsockFetch: 200 {"c":42}\nundici request: 200 {"c":42}\n',
      );
      expect(await leftovers(fixture)).toEqual([]);
    },
    EXAMPLE_TEST_MS,
  );

  it(
    'grpc-vsock.ts makes a unary and a server-streaming call to the guest over vsock',
    async () => {
      await using fixture = await createExampleFixture('kindling-example-grpc-');
      expect(await runExample('grpc-vsock', fixture)).toBe(
        'unary: hello\nstream: pong 1\nstream: pong 2\nstream: pong 3\n',
      );
      expect(await leftovers(fixture)).toEqual([]);
    },
    EXAMPLE_TEST_MS,
  );

  it(
    'metrics-prometheus.ts serves the VM’s metrics for Prometheus and drops them when it ends',
    async () => {
      await using fixture = await createExampleFixture('kindling-example-metrics-');
      const lines = (await runExample('metrics-prometheus', fixture)).split('\n');
      // The port is whichever was free.
      expect(lines[0]).toMatch(/^serving http:\/\/127\.0\.0\.1:\d+\/metrics$/u);
      expect(lines.slice(1)).toEqual([
        'firecracker_put_api_requests_machine_cfg_count_total{vm_id="example"} 1',
        'exported VMs: example',
        'after shutdown: 0 VMs exported',
        '',
      ]);
      expect(await leftovers(fixture)).toEqual([]);
    },
    EXAMPLE_TEST_MS,
  );

  it(
    'an example without KINDLING_FIRECRACKER says which variable to set, and starts nothing',
    async () => {
      await using fixture = await createExampleFixture('kindling-example-unset-');
      const error = await catchError(
        runExample('boot', fixture, { KINDLING_FIRECRACKER: undefined }),
      );
      expect(String(error)).toContain(
        'KINDLING_FIRECRACKER is not set: give it the path of the firecracker binary',
      );
      expect(await leftovers(fixture)).toEqual([]);
    },
    EXAMPLE_TEST_MS,
  );
});
