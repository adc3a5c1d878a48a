// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import type { ApiMethod } from '@kindling/process';
import { connectApi, type CliContext } from '../context.js';
import { invalidInput } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { requireVmRecord } from '../host/vm-records.js';
import { defineAction, type ExitBox } from './command-kit.js';
import { sendRemoteApi, addServerOptions, type ServerFlags } from '../remote/remote.js';

const METHODS: readonly ApiMethod[] = ['GET', 'PUT', 'PATCH', 'DELETE'];

const parseBody = (body: string | undefined): unknown => {
  if (body === undefined) {
    return undefined;
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw invalidInput('body', 'expected JSON, e.g. \'{"state":"Paused"}\'', body);
  }
};

/** `kindling api <name> <method> <path> [body]`: one raw request to a VM's API. */
export const registerApi = (program: Command, context: CliContext, box: ExitBox): void => {
  addServerOptions(
    program
      .command('api <name> <method> <path> [body]')
      .description(
        "send one raw request to a VM's API, e.g. `kindling api vm1 GET /machine-config`",
      )
      .option('--json', 'print status and body as one JSON object'),
  ).action(
    defineAction<ServerFlags, [string, string, string, string | undefined]>(
      context,
      box,
      async ({ out, options }, name, method, path, body) => {
        const upper = method.toUpperCase() as ApiMethod;
        if (!METHODS.includes(upper)) {
          throw invalidInput('method', `expected one of ${METHODS.join(', ')}`, method);
        }
        const parsed = parseBody(body);
        if (options.server !== undefined) {
          return sendRemoteApi(
            out,
            { ...options, server: options.server },
            { name, method: upper, path, body: parsed },
          );
        }
        const record = await requireVmRecord(context.paths, name);
        await using api = connectApi(record);
        const answer = await api.request(upper, path, parsed);
        out.data({ status: answer.status, body: answer.body ?? null }, () =>
          answer.body === undefined ? String(answer.status) : JSON.stringify(answer.body, null, 2),
        );
        return EXIT_CODES.ok;
      },
    ),
  );
};
