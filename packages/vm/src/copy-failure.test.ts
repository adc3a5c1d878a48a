// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { FileCopyFailure, onSide } from './copy-failure.js';

const systemError = (code: string, message = `${code}: failed`): Error =>
  Object.assign(new Error(message), { code });

describe('FileCopyFailure', () => {
  it('names the side, the path, the reason and the fix', () => {
    const failure = new FileCopyFailure('destination', '/kept/vm.mem', systemError('ENOSPC'));
    expect(failure).toMatchObject({ side: 'destination', path: '/kept/vm.mem' });
    expect(failure.message).toBe(
      'could not write the destination /kept/vm.mem: no space is left on its filesystem (ENOSPC); ' +
        'free some space or choose another filesystem',
    );
    expect(failure.cause).toMatchObject({ code: 'ENOSPC' });
  });

  it("falls back on the error's own message and the side's general fix", () => {
    expect(new FileCopyFailure('source', '/s', systemError('EWEIRD', 'EWEIRD: odd')).message).toBe(
      'could not read the source /s: EWEIRD: odd; check that it exists and can be read',
    );
    expect(new FileCopyFailure('destination', '/d', 'broken').message).toBe(
      'could not write the destination /d: broken; check that it can be written',
    );
  });

  it('takes what was done, reasons and fixes of its own', () => {
    const words = {
      what: 'give the destination /d to uid 1, gid 2',
      reasons: { EEXIST: 'a file is in the way' },
      fixes: { EPERM: 'only root can' },
      fix: 'look around',
    };
    expect(new FileCopyFailure('destination', '/d', systemError('EPERM'), words).message).toBe(
      'could not give the destination /d to uid 1, gid 2: operation not permitted (EPERM); only root can',
    );
    expect(new FileCopyFailure('destination', '/d', systemError('EEXIST'), words).message).toBe(
      'could not give the destination /d to uid 1, gid 2: a file is in the way (EEXIST); ' +
        'copy() never overwrites: choose a new path or remove the file',
    );
    expect(new FileCopyFailure('source', '/s', new Error('no'), words).message).toBe(
      'could not give the destination /d to uid 1, gid 2: no; look around',
    );
  });
});

describe('onSide', () => {
  it('passes a result through, and turns a failure into a FileCopyFailure of that side', async () => {
    await expect(onSide('source', '/s', () => Promise.resolve(7))).resolves.toBe(7);
    await expect(
      onSide('source', '/s', () => Promise.reject(systemError('EACCES'))),
    ).rejects.toMatchObject({
      side: 'source',
      message:
        'could not read the source /s: permission denied (EACCES); run as a user that can read it',
    });
  });
});
