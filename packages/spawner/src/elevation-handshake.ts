// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { addAbortListener } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { ELEVATION_TOKENS } from './elevation-script.js';
import type { ProcessExit, SpawnedProcess } from './process-spawner.js';
import { SpawnError } from './spawn-error.js';
import { terminateProcess } from './terminate-process.js';

/** What the handshake needs to know about one elevated spawn. */
export interface HandshakeOptions {
  readonly tool: 'sudo' | 'su';
  /** The command being started, for messages. */
  readonly binary: string;
  readonly user: string;
  /** The spawn's unique prefix of the wrapper's lines. */
  readonly marker: string;
  /** sudo's exact prompt (`-p`); absent for su, whose PAM prompt is any unterminated line. */
  readonly promptToken: string | undefined;
  readonly password: string | undefined;
  /** Where to answer the prompt; present when a password is given. */
  readonly stdin: Writable | null;
  readonly startTimeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

// sudo and su say little before failing; a short excerpt is enough for the message.
const MAX_DIAGNOSTICS = 2_000;
// Cap what is kept before the command starts; a token can only straddle the last few bytes.
const MAX_SEEN_BYTES = 64 * 1024;

// Writing the answer races sudo or su exiting (EPIPE); the exit is what gets reported.
const ignoreAnswerError = (): void => {};

const describeExit = (exit: ProcessExit): string =>
  exit.signal === null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;

/**
 * Watches sudo or su until the wrapper reports that the command is starting, answering the
 * password prompt on the way, and resolves with the stderr bytes that followed the ready line.
 * Rejects with `SpawnError` when sudo or su fails, asks for a password nobody gave, is too slow
 * (the process is then terminated), or with `signal.reason` when the signal aborts.
 */
export const waitForElevatedStart = (
  process: SpawnedProcess,
  stderr: Readable,
  options: HandshakeOptions,
): Promise<Buffer> => {
  const { promise, resolve, reject } = Promise.withResolvers<Buffer>();
  const { marker, promptToken, password, stdin, tool } = options;
  const readyToken = `${marker}${ELEVATION_TOKENS.ready}`;
  const tokens = Object.values(ELEVATION_TOKENS).map((token) => `${marker}${token}`);
  let seen = Buffer.alloc(0);
  let trimmed = false;
  let answered = 0;
  let failure: SpawnError | undefined;

  const diagnostics = (): string => {
    let text = seen.toString('utf8');
    for (const token of [...tokens, ...(promptToken === undefined ? [] : [promptToken])]) {
      text = text.replaceAll(token, '\n');
    }
    text = text.replaceAll(/\n{2,}/gu, '\n').trim();
    const excerpt = text.length > MAX_DIAGNOSTICS ? `…${text.slice(-MAX_DIAGNOSTICS)}` : text;
    return excerpt.length === 0 ? 'it printed nothing' : `it said ${JSON.stringify(excerpt)}`;
  };
  const prefix = (): string =>
    `${tool} did not start ${options.binary} as ${options.user}${trimmed ? ' (after much output)' : ''}`;

  const createError = (code: SpawnError['code'], detail: string, cause?: unknown): SpawnError =>
    new SpawnError(code, `${prefix()}: ${detail}`, cause === undefined ? {} : { cause });

  const classifyExit = (exit: ProcessExit): SpawnError => {
    const said = diagnostics();
    const how = `${tool} ${describeExit(exit)} and ${said}`;
    if (tool === 'sudo') {
      if (password === undefined && /password is required/iu.test(said)) {
        return createError(
          'ERR_SUDO_PASSWORD_REQUIRED',
          `${how}. Pass the password option, or allow the command without one (NOPASSWD) in sudoers.`,
        );
      }
      if (answered > 0 && /incorrect password|try again/iu.test(said)) {
        return createError('ERR_SUDO_PASSWORD_REJECTED', `${how}. Check the password option.`);
      }
    } else if (answered > 0) {
      return createError(
        'ERR_SU_AUTHENTICATION_FAILED',
        `${how}. Check the password option and that ${options.user} may log in.`,
      );
    }
    return createError(
      'ERR_ELEVATION_FAILED',
      `${how}. Check that this user may run /bin/sh as ${options.user} through ${tool}.`,
    );
  };

  const stopWatching = (): void => {
    clearTimeout(timer);
    abortListener?.[Symbol.dispose]();
    stderr.off('data', onData);
    stderr.off('end', onEnd);
    stderr.off('error', onError);
    stdin?.off('error', ignoreAnswerError);
  };

  // A failure decided while the process still runs: stop it, then report once it has exited.
  const failNow = async (error: unknown): Promise<void> => {
    stopWatching();
    await terminateProcess(process);
    reject(error);
  };

  const onPrompt = (): void => {
    if (password === undefined) {
      failure = createError(
        tool === 'sudo' ? 'ERR_SUDO_PASSWORD_REQUIRED' : 'ERR_SU_PASSWORD_REQUIRED',
        `${tool} asked for a password and none was given. Pass the password option, or allow ` +
          `the command without one.`,
      );
      void failNow(failure);
    } else if (answered === 0) {
      answered = 1;
      stdin?.write(`${password}\n`);
    } else if (tool === 'sudo') {
      // sudo asks again after a wrong password: end its stdin so it gives up at once.
      answered += 1;
      failure = createError(
        'ERR_SUDO_PASSWORD_REJECTED',
        'sudo asked for the password again after the given one. Check the password option.',
      );
      stdin?.end();
    }
  };

  const countPrompts = (text: string): number => {
    if (promptToken !== undefined) {
      return text.split(promptToken).length - 1;
    }
    // PAM prints its prompt without a line break and then reads stdin: an unterminated last line
    // before the wrapper's ready line is su asking for the password.
    let plain = text;
    for (const token of tokens) {
      plain = plain.replaceAll(token, '');
    }
    // su's own failures come through err(3), which writes "su: ", the message and the line break
    // separately: an unterminated "su: …" line is su failing, not PAM asking.
    const lastLine = plain.slice(plain.lastIndexOf('\n') + 1);
    return lastLine.length > 0 && !lastLine.startsWith('su: ') ? 1 : 0;
  };

  function onData(chunk: Buffer): void {
    seen = Buffer.concat([seen, chunk]);
    if (seen.length > MAX_SEEN_BYTES) {
      seen = seen.subarray(-MAX_SEEN_BYTES / 2);
      trimmed = true;
    }
    // latin1 maps bytes one to one, so indexes in the text are indexes in the buffer.
    const text = seen.toString('latin1');
    const readyAt = text.indexOf(readyToken);
    if (readyAt !== -1) {
      stopWatching();
      stderr.pause();
      resolve(seen.subarray(readyAt + readyToken.length));
      return;
    }
    if (failure !== undefined) {
      return;
    }
    if (text.includes(`${marker}${ELEVATION_TOKENS.missing}`)) {
      failure = createError(
        'ERR_SPAWN_FAILED',
        `it is not an executable file, nor found on ${options.user}'s PATH. Check the path.`,
      );
    } else if (text.includes(`${marker}${ELEVATION_TOKENS.cwd}`)) {
      failure = createError(
        'ERR_SPAWN_FAILED',
        `${options.user} could not enter the working directory (${diagnostics()}).`,
      );
    } else if (countPrompts(text) > answered) {
      onPrompt();
    }
  }

  // The elevator's stderr has ended before the ready line: it failed (or is exiting).
  const reportFailure = async (): Promise<void> => {
    const exit = await process.exited;
    reject(failure ?? classifyExit(exit));
  };
  function onEnd(): void {
    stopWatching();
    void reportFailure();
  }
  function onError(error: Error): void {
    void failNow(
      createError(
        'ERR_ELEVATION_FAILED',
        `reading ${tool}'s stderr failed: ${error.message}`,
        error,
      ),
    );
  }

  const timer = setTimeout(() => {
    void failNow(
      failure ??
        createError(
          'ERR_SPAWN_TIMEOUT',
          `nothing happened within ${options.startTimeoutMs} ms (${diagnostics()}). It may be ` +
            'waiting for input: pass the password option, or raise startTimeoutMs.',
        ),
    );
  }, options.startTimeoutMs);
  const abortListener =
    options.signal === undefined
      ? undefined
      : addAbortListener(options.signal, () => {
          void failNow(options.signal?.reason);
        });

  stderr.on('data', onData);
  stderr.once('end', onEnd);
  stderr.once('error', onError);
  stdin?.on('error', ignoreAnswerError);
  return promise;
};
