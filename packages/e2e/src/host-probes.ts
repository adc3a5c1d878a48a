// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The named namespace a process is in, by `ip netns identify` ('' when none). */
export const namespaceOfProcess = async (pid: number | undefined): Promise<string> =>
  (await execFileAsync('/usr/sbin/ip', ['netns', 'identify', String(pid)])).stdout.trim();

/** Whether a link of that name exists (in `netns` when given). */
export const linkExists = async (name: string, netns?: string): Promise<boolean> => {
  const scope = netns === undefined ? [] : ['-n', netns];
  const { stdout } = await execFileAsync('/usr/sbin/ip', [...scope, '-json', 'link', 'show']);
  return (JSON.parse(stdout) as { ifname: string }[]).some((link) => link.ifname === name);
};

/**
 * What a TCP connection to a closed port of `address` meets within `timeoutMs`: `refused` is the
 * guest's kernel answering (a RST), so its network is up; no tool (ping) needed on the host.
 */
export const probeTcp = (address: string, timeoutMs: number): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect({ host: address, port: 1 });
    const done = (outcome: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.once('connect', () => done('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'refused' : (error.code ?? 'error')),
    );
  });

/** The TAP Firecracker says an interface is on (GET /vm/config). */
export interface NetworkInterfaceView {
  readonly iface_id: string;
  readonly host_dev_name: string;
  readonly guest_mac?: string | null;
}
