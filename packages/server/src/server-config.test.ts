// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { parseServerConfig } from './server-config.js';

const base = {
  imagesDir: '/images',
  stateDir: '/var/lib/kindling',
  installation: {
    firecrackerPath: '/bin/firecracker',
    jailerPath: '/bin/jailer',
    snapshotEditorPath: '/bin/snapshot-editor',
  },
};

describe('parseServerConfig', () => {
  it('fills in the defaults: the socket in the state folder, the limits, VMs left running', () => {
    expect(parseServerConfig(base)).toMatchObject({
      socketPath: '/var/lib/kindling/server.sock',
      limits: { maxVms: 256, bodyLimitBytes: 1_048_576 },
      shutdownVmsOnExit: false,
    });
  });

  it.each([
    [
      { ...base, imagesDir: 'images' },
      /^server\.json\.imagesDir: expected an absolute folder path, got "images"$/u,
    ],
    [{ ...base, imagesDir: undefined }, /^server\.json\.imagesDir: .*got nothing$/u],
    [{ ...base, limits: { maxVms: 0 } }, /^server\.json\.limits\.maxVms: .*got 0$/u],
    [
      { ...base, listen: { tcp: 'localhost' } },
      /^server\.json\.listen\.tcp: expected host:port, such as 127\.0\.0\.1:7090, got "localhost"$/u,
    ],
    [
      { ...base, listen: { tcp: '127.0.0.1:7090' } },
      /^server\.json\.listen\.tokenFile: TCP needs a bearer token file/u,
    ],
    [
      { ...base, listen: { tokenFile: '/etc/token' } },
      /^server\.json\.listen\.tokenFile: applies to TCP only; set server\.json\.listen\.tcp too, or remove it$/u,
    ],
    [
      { ...base, listen: { tcp: '127.0.0.1:7090', insecureNoAuth: true, tlsCertFile: '/c.pem' } },
      /^server\.json\.listen: TLS needs both tlsCertFile and tlsKeyFile$/u,
    ],
    [
      { ...base, shutdownVmOnExit: true },
      /^server\.json\.shutdownVmOnExit: unknown key; did you mean shutdownVmsOnExit\?$/u,
    ],
  ])('refuses %j, naming the key and the fix', (input, message) => {
    expect(() => parseServerConfig(input, 'server.json')).toThrow(message);
  });
});
