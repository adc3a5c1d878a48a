// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex, Writable } from 'node:stream';
import { createExecAgent, type ExecAgent } from '@kindling/exec-agent';

const FOLDER_PREFIX = 'kindling-fake-exec-';
const GROUPS_FILE = 'process-groups';

// Runs beside the fake, outside its process group: when the fake's end of the pipe closes (it
// exited, or was killed with SIGKILL and could not clean up), it kills the command groups still
// listed and removes the folder. After a clean close the list is gone and the folder too.
const WATCHDOG = `read _ignored; for group in $(cat "$1/${GROUPS_FILE}" 2>/dev/null); do kill -9 "-$group" 2>/dev/null; done; rm -rf -- "$1"`;

interface RunningAgent {
  readonly agent: ExecAgent;
  readonly folder: string;
  readonly watchdog: ChildProcess;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

// Folders of fakes that died before their watchdog could run (the machine lost power, the
// watchdog was killed too): removed by the next fake that starts an agent.
const removeStaleFolders = (): void => {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(name.slice(FOLDER_PREFIX.length).split('-')[0]);
    if (
      name.startsWith(FOLDER_PREFIX) &&
      Number.isSafeInteger(pid) &&
      pid !== process.pid &&
      !isAlive(pid)
    ) {
      rmSync(path.join(tmpdir(), name), { recursive: true, force: true });
    }
  }
};

const startAgent = (protocolVersion: number | undefined): RunningAgent => {
  removeStaleFolders();
  const folder = mkdtempSync(path.join(tmpdir(), `${FOLDER_PREFIX}${process.pid}-`));
  const root = path.join(folder, 'root');
  mkdirSync(root);
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'kindling-fake-exec-watchdog', folder], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  // Neither the watchdog nor its pipe keeps the fake alive.
  watchdog.unref();
  (watchdog.stdin as (Writable & { unref?: () => void }) | null)?.unref?.();
  const groups = new Set<number>();
  const agent = createExecAgent({
    root,
    ...(protocolVersion === undefined ? {} : { protocolVersion }),
    trackProcessGroup: (pgid, state) => {
      if (state === 'started') {
        groups.add(pgid);
      } else {
        groups.delete(pgid);
      }
      writeFileSync(path.join(folder, GROUPS_FILE), [...groups].join('\n'));
    },
  });
  return { agent, folder, watchdog };
};

/**
 * The simulated guest's exec agent (`@kindling/exec-agent`), started at the first connection:
 * commands run on this host, as the fake's user, with every guest path inside a private
 * temporary folder (`<tmpdir>/kindling-fake-exec-<pid>-*`) that goes when the fake closes, or,
 * if it is killed, when its watchdog sees it gone.
 */
export const createExecService = (
  protocolVersion: number | undefined,
): { serve: (socket: Duplex) => void; close: () => void } => {
  let running: RunningAgent | undefined;
  return {
    serve: (socket) => {
      running ??= startAgent(protocolVersion);
      running.agent.serve(socket);
    },
    close: () => {
      if (running === undefined) {
        return;
      }
      const { agent, folder, watchdog } = running;
      running = undefined;
      // Closing the connections kills their commands' groups; then nothing is left to list.
      agent.close();
      rmSync(folder, { recursive: true, force: true });
      watchdog.stdin?.end();
    },
  };
};
