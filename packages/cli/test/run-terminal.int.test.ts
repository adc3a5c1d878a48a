// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { createCliFixture, runOnTerminal } from './support/cli-fixture.js';

const CTRL_C = '\u0003';

// `kindling run` attached, on a pseudo-terminal made by util-linux `script`.
describe('kindling run (attached, on a terminal)', () => {
  it('shows the serial console; Ctrl-C shuts the VM down gracefully and exits 0', async () => {
    await using fixture = await createCliFixture();
    const terminal = runOnTerminal(
      ['run', '--kernel', fixture.kernel, '--name', 'tty'],
      fixture.env,
    );
    await terminal.waitFor('Ctrl-C shuts it down');
    await terminal.waitFor('kindling-fake-guest: ready');
    expect((await fixture.json<{ name: string }[]>(['ls'])).map((vm) => vm.name)).toEqual(['tty']);
    terminal.type(CTRL_C);
    const { code, screen } = await terminal.exit;
    expect(screen).toContain('shutting the VM down (Ctrl+Alt+Del)');
    expect(screen).toContain('kindling: VM "tty" shut-down (code 0)');
    expect(code).toBe(0);
    expect(await fixture.vmFolders()).toEqual([]);
  });

  it('a second Ctrl-C kills a guest that ignores Ctrl+Alt+Del, and exits 130', async () => {
    await using fixture = await createCliFixture({ ctrlAltDel: { kind: 'ignore' } });
    const terminal = runOnTerminal(
      ['run', '--kernel', fixture.kernel, '--name', 'stubborn'],
      fixture.env,
    );
    await terminal.waitFor('kindling-fake-guest: ready');
    terminal.type(CTRL_C);
    await terminal.waitFor('Ctrl-C again to kill it');
    terminal.type(CTRL_C);
    const { code, screen } = await terminal.exit;
    expect(screen).toContain('kindling: killing the VM');
    expect(screen).toContain('kindling: VM "stubborn" killed (signal SIGKILL)');
    expect(code).toBe(130);
    expect(await fixture.vmFolders()).toEqual([]);
  });

  it('colours the ls table on a terminal, and not with NO_COLOR', async () => {
    await using fixture = await createCliFixture();
    const coloured = await runOnTerminal(['doctor'], fixture.env).exit;
    expect(coloured.screen).toContain('\u001B[32mok');
    const plain = await runOnTerminal(['doctor'], { ...fixture.env, NO_COLOR: '1' }).exit;
    expect(plain.screen).not.toContain('\u001B[32m');
    expect(plain.screen).toMatch(/ok\s+firecracker\s+Firecracker v1\.16\.1/u);
  });
});
