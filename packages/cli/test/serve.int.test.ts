// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { BIN, createCliFixture } from './support/cli-fixture.js';

// GET over a Unix socket with Node's own client: the answer's status and parsed body.
const getOver = (socketPath: string, url: string): Promise<[number, unknown]> =>
  new Promise((resolve, reject) => {
    request({ socketPath, path: url }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve([response.statusCode ?? 0, JSON.parse(text)]));
    })
      .on('error', reject)
      .end();
  });

// The first JSON document a process prints (--json prints it indented, ending with "}").
const readJsonBlock = async (stdout: NodeJS.ReadableStream): Promise<unknown> => {
  let printed = '';
  for await (const line of createInterface({ input: stdout })) {
    printed += line;
    if (line === '}') {
      break;
    }
  }
  return JSON.parse(printed);
};

describe('kindling serve', () => {
  it('serves on its Unix socket until SIGTERM, then exits 0', async () => {
    await using fixture = await createCliFixture();
    const images = path.join(fixture.dir, 'images');
    await mkdir(images);
    const child = spawn(process.execPath, [BIN, 'serve', '--images', images, '--json'], {
      env: fixture.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    const listening = (await readJsonBlock(child.stdout)) as { address: string; stateDir: string };
    const socket = path.join(fixture.dir, 'state', 'server', 'server.sock');
    expect(listening).toMatchObject({
      address: `unix:${socket}`,
      stateDir: path.join(fixture.dir, 'state', 'server'),
    });
    expect(await getOver(socket, '/v1/health')).toEqual([
      200,
      expect.objectContaining({ vms: 0, recovered: { adopted: [], cleanedUp: [] } }),
    ]);
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });

  it('refuses TCP without a token, naming the setting', async () => {
    await using fixture = await createCliFixture();
    const images = path.join(fixture.dir, 'images');
    await mkdir(images);
    const run = await fixture.run(['serve', '--images', images, '--listen', '127.0.0.1:0']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/listen\.tokenFile: TCP needs a bearer token file/u);
  });
});
