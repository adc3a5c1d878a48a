// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from './testing/fixture.ts';

const MAIN = path.join(import.meta.dirname, 'main.ts');
const execFileAsync = promisify(execFile);

const runXtask = async (
  cwd: string,
  ...args: string[]
): Promise<{ code: number; output: string }> => {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [MAIN, ...args], { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
};

let fixture: Fixture;

beforeEach(async () => {
  fixture = await createFixture();
  await fixture.addPackage('spawner', "export const spawnerName = 'spawner';\n");
});

afterEach(async () => {
  await fixture.dispose();
});

describe('pnpm xtask prepush', () => {
  it('passes a clean workspace and names each check', async () => {
    const { code, output } = await runXtask(fixture.root, 'prepush');
    expect(output).toMatch(/── lint: ok[\s\S]*── fmt: ok[\s\S]*── license: ok[\s\S]*── style: ok/u);
    expect(output).toContain('prepush: all checks passed');
    expect(code).toBe(0);
  });

  it('runs every check and fails naming each one that failed, and each file', async () => {
    await fixture.write('packages/spawner/src/no-header.ts', 'export   const x = {a:1};\n');
    await fixture.write(
      'packages/spawner/src/up.ts',
      fixture.withHeader("import { y } from '@kindling/vm';\n\nexport const z = y;\n"),
    );
    await fixture.write(
      'packages/spawner/src/lint.ts',
      fixture.withHeader('export const f = (): void => {\n  debugger;\n};\n'),
    );
    const { code, output } = await runXtask(fixture.root, 'prepush');
    expect(code).toBe(1);
    expect(output).toContain('prepush: FAILED: lint, fmt, license, style');
    expect(output).toContain('packages/spawner/src/no-header.ts');
    expect(output).toContain('packages/spawner/src/up.ts');
    expect(output).toContain('packages/spawner/src/lint.ts');
  });

  it('treats --strict lint warnings as failures only with --strict', async () => {
    // Error-free code with only a pedantic warning (no-else-return).
    await fixture.write(
      'packages/spawner/src/warn.ts',
      fixture.withHeader(
        'export const sign = (value: number): number => {\n  if (value < 0) {\n    return -1;\n  } else {\n    return 1;\n  }\n};\n',
      ),
    );
    const loose = await runXtask(fixture.root, 'lint');
    const strict = await runXtask(fixture.root, 'lint', '--strict');
    expect(loose.code).toBe(0);
    expect(strict.code).toBe(1);
    expect(strict.output).toContain('packages/spawner/src/warn.ts');
  });

  it('rejects an unknown task or flag with usage', async () => {
    expect((await runXtask(fixture.root, 'nope')).code).toBe(2);
    expect((await runXtask(fixture.root, 'lint', '--nope')).output).toContain('unknown flag');
    const bench = await runXtask(fixture.root, 'bench', '--no-build', '--only');
    expect(bench.code).toBe(2);
    expect(bench.output).toContain("unknown flag(s) --only (needs a substring of a script's path)");
  });
});
