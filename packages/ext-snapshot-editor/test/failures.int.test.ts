// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createFakeInstallation } from '@kindling/fake-vmm';
import { DirectSpawner, type ProcessSpawner, type SpawnOptions } from '@kindling/spawner';
import {
  catchError,
  createTempFolder,
  listLeftoverProcesses,
  type TempFolder,
} from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotEditor } from '../src/index.js';

const realEditorPath = process.env['KINDLING_SNAPSHOT_EDITOR'] ?? '';

/** A DirectSpawner that records what it starts, as an elevating spawner would be handed it. */
class RecordingSpawner implements ProcessSpawner {
  readonly started: { binary: string; args: readonly string[]; pid: number }[] = [];
  readonly #direct = new DirectSpawner();

  async spawn(binary: string, args: readonly string[], options?: SpawnOptions) {
    const child = await this.#direct.spawn(binary, args, options);
    this.started.push({ binary, args, pid: child.pid });
    return child;
  }
}

let folder: TempFolder;
let fakeEditorPath: string;
let junkState: string;
beforeAll(async () => {
  folder = await createTempFolder('kindling-snapedit-');
  fakeEditorPath = (await createFakeInstallation(path.join(folder.path, 'bin'))).snapshotEditorPath;
  junkState = path.join(folder.path, 'junk.state');
  await writeFile(junkState, 'hello\n');
});
afterAll(async () => {
  await folder[Symbol.asyncDispose]();
});

const editors = [
  { name: 'fake-snapshot-editor', binaryPath: () => fakeEditorPath },
  ...(realEditorPath === ''
    ? []
    : [{ name: 'the real snapshot-editor', binaryPath: () => realEditorPath }]),
];

describe.each(editors)('failures of $name', ({ binaryPath }) => {
  const editorOf = () =>
    new SnapshotEditor({ binaryPath: binaryPath(), spawner: new RecordingSpawner() });

  it('a missing state file: exit 1, with the error and its Rust Debug on stderr', async () => {
    const editor = editorOf();
    const missing = path.join(folder.path, 'missing.state');
    const error = await catchError(editor.readVcpuStates({ vmstatePath: missing }));
    expect(error).toMatchObject({
      name: 'SnapshotEditorError',
      code: 'ERR_SNAPSHOT_EDITOR_FAILED',
      exitCode: 1,
      stderr:
        'Error during getting info from a vmstate file: Can not open snapshot file: No such file or directory (os error 2)\n' +
        'Error: InfoVmState(Utils(VmStateFileOpen(Os { code: 2, kind: NotFound, message: "No such file or directory" })))\n',
      run: {
        args: ['info-vmstate', 'vcpu-states', '--vmstate-path', missing],
        exit: { code: 1, signal: null },
      },
    });
    // It ran through the editor's spawner.
    expect((editor.spawner as RecordingSpawner).started).toMatchObject([
      { binary: binaryPath(), args: ['info-vmstate', 'vcpu-states', '--vmstate-path', missing] },
    ]);
  });

  it('a missing base memory file: exit 1, edit-memory’s error on stderr', async () => {
    const memoryPath = path.join(folder.path, 'missing.mem');
    const error = await catchError(editorOf().rebaseMemory({ memoryPath, diffPath: junkState }));
    expect(error).toMatchObject({
      code: 'ERR_SNAPSHOT_EDITOR_FAILED',
      exitCode: 1,
      stderr:
        'Error during editing memory file: Could not open memory file: No such file or directory (os error 2)\n' +
        'Error: EditMemory(OpenMemoryFile(Os { code: 2, kind: NotFound, message: "No such file or directory" }))\n',
    });
    expect((error as Error).message).toMatch(
      /^snapshot-editor edit-memory rebase exited with code 1: Error during editing memory file: Could not open memory file/u,
    );
  });

  it('a file that is not a state file: exit 1, cannot load', async () => {
    const error = await catchError(editorOf().readVersion({ vmstatePath: junkState }));
    expect(error).toMatchObject({ code: 'ERR_SNAPSHOT_EDITOR_FAILED', exitCode: 1 });
    expect(error).toHaveProperty(
      'stderr',
      expect.stringMatching(
        /^Error during getting info from a vmstate file: Can not load snapshot: .+\nError: InfoVmState\(Utils\(VmStateLoad\(.+\)\)\)\n$/u,
      ),
    );
  });
});

describe.skipIf(realEditorPath === '')(
  'the real snapshot-editor [needs KINDLING_SNAPSHOT_EDITOR]',
  () => {
    it('says a short file is too short to hold a CRC', async () => {
      const error = await catchError(
        new SnapshotEditor({ binaryPath: realEditorPath }).readVmState({ vmstatePath: junkState }),
      );
      expect(error).toHaveProperty(
        'stderr',
        'Error during getting info from a vmstate file: Can not load snapshot: IO Error: File too short to contain CRC\n' +
          'Error: InfoVmState(Utils(VmStateLoad(Io(Custom { kind: UnexpectedEof, error: "File too short to contain CRC" }))))\n',
      );
    });
  },
);

describe('a run that outlasts its timeout', () => {
  it('is killed and fails with ERR_WAIT_TIMEOUT', async () => {
    const slow = path.join(folder.path, 'slow-editor');
    await writeFile(slow, '#!/bin/sh\nexec sleep 60\n');
    await chmod(slow, 0o755);
    const spawner = new RecordingSpawner();
    const editor = new SnapshotEditor({ binaryPath: slow, spawner, timeoutMs: 300 });
    const error = await catchError(editor.readVersion({ vmstatePath: junkState }));
    expect(error).toMatchObject({
      code: 'ERR_WAIT_TIMEOUT',
      message: expect.stringMatching(
        /^snapshot-editor info-vmstate version did not finish within 300 ms and was killed/u,
      ),
      run: { exit: { code: null, signal: 'SIGKILL' } },
    });
    expect(await listLeftoverProcesses(spawner.started.map((start) => start.pid))).toEqual([]);
  });
});
