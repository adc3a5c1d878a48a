// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { catchError, TEST_WAIT_MS } from '@kindling/test-utils';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { ApiCaller, ServerFixture } from './support/server-fixture.js';

const TOKEN = 'a-long-random-token-0123456789abcdef';
const LOCALHOST = '127.0.0.1:0';

const writeToken = async (fixture: ServerFixture): Promise<string> => {
  const file = path.join(fixture.folder.dir, 'token');
  await writeFile(file, `${TOKEN}\n`, { mode: 0o600 });
  return file;
};

describe('TCP with a bearer token', () => {
  it('answers a caller with the token, refuses one without (401) or with another', async () => {
    await using fixture = await ServerFixture.create();
    const tokenFile = await writeToken(fixture);
    const api = await fixture.start(
      { listen: { tcp: LOCALHOST, tokenFile }, limits: { socketWaitTimeoutMs: TEST_WAIT_MS } },
      TOKEN,
    );
    expect(api.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
    expect(existsSync(path.join(fixture.stateDir, 'server.sock'))).toBe(false);
    const created = await api.call('POST', '/v1/vms', fixture.vmBody({ id: 'tcp' }));
    expect([created.status, created.body.state]).toEqual([201, 'running']);

    const anonymous = new ApiCaller(api.origin, api.dispatcher);
    for (const [headers, what] of [
      [{}, 'no token'],
      [{ authorization: `Bearer ${TOKEN.slice(1)}` }, 'a shorter token'],
      [{ authorization: `Bearer ${TOKEN}x` }, 'a longer token'],
      [{ authorization: TOKEN }, 'no Bearer'],
    ] as const) {
      const refused = await anonymous.call('DELETE', '/v1/vms/tcp', undefined, headers);
      expect([what, refused.status, refused.body.error]).toEqual([
        what,
        401,
        expect.objectContaining({ code: 'ERR_UNAUTHORIZED' }),
      ]);
    }
    // The refused deletes changed nothing.
    expect((await api.call('GET', '/v1/vms/tcp')).body.state).toBe('running');
    expect((await api.call('DELETE', '/v1/vms/tcp')).status).toBe(204);
  });

  it('answers anyone with insecureNoAuth', async () => {
    await using fixture = await ServerFixture.create();
    const api = await fixture.start({ listen: { tcp: LOCALHOST, insecureNoAuth: true } });
    expect((await api.call('GET', '/v1/health')).status).toBe(200);
  });

  it('refuses to listen on TCP without a token, naming the key and the fix', async () => {
    await using fixture = await ServerFixture.create();
    const error = await catchError(startServer(fixture.config({ listen: { tcp: LOCALHOST } })));
    expect(error).toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(
        /^config\.listen\.tokenFile: TCP needs a bearer token file \(or insecureNoAuth: true/u,
      ),
    });
  });

  it('refuses a token shorter than 16 characters', async () => {
    await using fixture = await ServerFixture.create();
    const tokenFile = path.join(fixture.folder.dir, 'short');
    await writeFile(tokenFile, 'short\n');
    const error = await catchError(
      startServer(fixture.config({ listen: { tcp: LOCALHOST, tokenFile } })),
    );
    expect(error).toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(/shorter than 16 characters/u),
    });
  });
});

const hasOpenssl = existsSync('/usr/bin/openssl');

describe('TLS', () => {
  it.skipIf(!hasOpenssl)(
    'serves HTTPS with the given certificate and key (skipped without /usr/bin/openssl to make one)',
    async () => {
      await using fixture = await ServerFixture.create();
      const tokenFile = await writeToken(fixture);
      const cert = path.join(fixture.folder.dir, 'cert.pem');
      const key = path.join(fixture.folder.dir, 'key.pem');
      await promisify(execFile)('openssl', [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ]);
      const server = await startServer(
        fixture.config({
          listen: { tcp: LOCALHOST, tokenFile, tlsCertFile: cert, tlsKeyFile: key },
        }),
      );
      const agent = new Agent({ connect: { ca: await readFile(cert) } });
      const plainAgent = new Agent();
      try {
        expect(server.address).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/u);
        const api = new ApiCaller(server.address, agent, TOKEN);
        const health = await api.call('GET', '/v1/health');
        expect(health.status).toBe(200);
        // Plain HTTP to the TLS port gets no answer of the API.
        const plain = new ApiCaller(server.address.replace('https:', 'http:'), plainAgent, TOKEN);
        expect(await catchError(plain.call('GET', '/v1/health'))).toBeInstanceOf(Error);
      } finally {
        await Promise.all([agent.close(), plainAgent.close()]);
        await server.close();
      }
    },
  );
});
