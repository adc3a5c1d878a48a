// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { stripVTControlCharacters } from 'node:util';

/** What a tool printed and how it ended. */
export interface ToolRun {
  readonly exitCode: number;
  readonly output: string;
}

// The tools are xtask's own dependencies, so they are found from here whatever `cwd` is checked.
const binDirs = (): string[] => {
  const here = import.meta.dirname;
  return [
    path.join(here, '..', 'node_modules', '.bin'),
    path.join(here, '..', '..', 'node_modules', '.bin'),
  ];
};

/** Finds a tool's executable among the installed dependencies. */
export const resolveTool = (name: string): string => {
  for (const dir of binDirs()) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error(`${name} is not installed: run \`pnpm install\` at the repository root`);
};

/** Runs a tool to completion in `cwd`, capturing stdout and stderr together. */
export const runTool = async (
  name: string,
  args: readonly string[],
  cwd: string,
): Promise<ToolRun> => {
  // Tools colour their output under CI=true; the checks parse it, so ask for plain text.
  const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  const child = spawn(resolveTool(name), args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
  return { exitCode, output: stripVTControlCharacters(Buffer.concat(chunks).toString('utf8')) };
};
