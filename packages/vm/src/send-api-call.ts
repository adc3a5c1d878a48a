// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { isKindlingError } from '@kindling/spawner';
import type { ApiClient, ApiResponse, ResponseSchema } from '@kindling/process';
import { VmError } from './errors.js';

/** One request to Firecracker's API. */
export interface ApiCall {
  readonly method: 'GET' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** The JSON body; `undefined` sends none. */
  readonly body?: unknown;
}

/** What every API method of a `Vm` takes. */
export interface VmCallOptions {
  /** Aborting rejects the call with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Overrides the VM's API timeout (`apiTimeoutMs`, default 10 000 ms) for this call. */
  readonly timeoutMs?: number;
}

/** Any `{ debug, info, warn, error }` logger, such as pino or `console`. */
export interface VmLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What `sendApiCall` needs besides the call itself. */
export interface SendApiCallContext<Body> {
  /** Names the call in messages, e.g. `vm.putDrive()`. */
  readonly caller: string;
  readonly options?: VmCallOptions | undefined;
  readonly schema?: ResponseSchema<Body> | undefined;
  readonly logger?: VmLogger | undefined;
}

/**
 * Sends one call and returns Firecracker's answer. A refusal becomes `VmError`
 * `ERR_API_RESPONSE` (Firecracker's message verbatim, its `ApiError` as cause); a request that
 * could not complete rejects with the API client's own error (`ERR_API_TIMEOUT`,
 * `ERR_API_CLOSED`, `ERR_API_BODY_INVALID`, …); an abort rejects with the signal's reason. `Deprecation: true` is logged as
 * a warning.
 */
export const sendApiCall = async <Body>(
  api: ApiClient,
  call: ApiCall,
  context: SendApiCallContext<Body>,
): Promise<ApiResponse<Body>> => {
  const { caller, options = {}, schema, logger } = context;
  const where = `${call.method} ${call.path}`;
  let response: ApiResponse<Body>;
  try {
    response = await api.request<Body>(call.method, call.path, call.body, {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(schema === undefined ? {} : { schema }),
    });
  } catch (error) {
    if (isKindlingError(error) && error.code === 'ERR_API_RESPONSE') {
      throw new VmError('ERR_API_RESPONSE', `${caller}: ${error.message}`, { cause: error });
    }
    // A timeout, a closed socket or an unexpected body asks the same of the user at every layer:
    // the client's error (ERR_API_TIMEOUT, …) and an abort's reason pass through unchanged.
    throw error;
  }
  if (response.deprecated) {
    logger?.warn(
      `${caller}: Firecracker answered ${where} with "Deprecation: true": the request uses a deprecated field`,
    );
  }
  return response;
};
