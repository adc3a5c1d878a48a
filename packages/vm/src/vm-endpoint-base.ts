// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ApiResponse, ResponseSchema } from '@kindling/process';
import { parseWire, type WireOutput, type WireSchema } from './input-checks.js';
import type { ApiCall, VmCallOptions } from './send-api-call.js';
import { checkCallOptions } from './call-options.js';
import { guardVmCall } from './profile-call-guard.js';
import type { VmEndpointMethods } from './vm-endpoint-methods.js';
import { VM_ENDPOINTS, type VmEndpoint } from './vm-endpoints.js';
import { responseOf, type VmCore } from './vm-core.js';
import { assertVmState } from './vm-state.js';

const fillPath = (template: string, valueOf: (name: string) => unknown): string =>
  template.replaceAll(/\{(\w+)\}/gu, (_, name: string) => String(valueOf(name)));

// Checks the argument before anything else, as Firecracker would refuse it anyway.
const buildCall = ({ method, path, input, body }: VmEndpoint, argument: unknown): ApiCall => {
  if (input === undefined) {
    return body === undefined ? { method, path } : { method, path, body };
  }
  if (argument === undefined && input.whenOmitted?.kind === 'no-body') {
    return { method, path };
  }
  const given =
    argument === undefined && input.whenOmitted?.kind === 'value'
      ? input.whenOmitted.value
      : argument;
  const parsed: unknown = parseWire(input.schema, given, input.name, 'ERR_INVALID_INPUT');
  if (input.sentAs === 'path') {
    return { method, path: fillPath(path, () => parsed) };
  }
  const fields = parsed as Readonly<Record<string, unknown>>;
  return { method, path: fillPath(path, (name) => fields[name]), body: parsed };
};

/** Sends the endpoint `name` with a method's arguments: argument check, state check, request. */
export const callVmEndpoint = async (
  core: VmCore,
  name: string,
  endpoint: VmEndpoint,
  args: readonly unknown[],
): Promise<unknown> => {
  const [argument, options] = endpoint.input === undefined ? [undefined, args[0]] : args;
  const call = await guardVmCall(core, buildCall(endpoint, argument));
  const { response, select, runState } = endpoint;
  const body = await core.request(
    `vm.${name}()`,
    endpoint.needs,
    call,
    checkCallOptions(options),
    response === undefined ? undefined : responseOf(response),
  );
  if (runState !== undefined) {
    core.setRunState(runState);
  }
  if (response === undefined) {
    return undefined;
  }
  return select === undefined ? body : (select as (value: unknown) => unknown)(body);
};

/**
 * Sends `vm.request()`'s call, which any state with the process up may send: the profile's check
 * first, as for the typed methods.
 */
export const sendRequestCall = async <Body>(
  core: VmCore,
  call: ApiCall,
  options: VmCallOptions,
  schema: ResponseSchema<Body> | undefined,
): Promise<ApiResponse<Body>> => {
  assertVmState(core.view(), ['process-up'], 'vm.request()');
  return core.send<Body>('vm.request()', await guardVmCall(core, call), options, schema);
};

/** A class whose instances have one method per row of `VM_ENDPOINTS`, bound to a `VmCore`. */
export type VmEndpointBase = abstract new (core: VmCore) => EventTarget & VmEndpointMethods;

/** Makes the base class of `VmApi`: `EventTarget` with the table's methods on its prototype. */
export const createVmEndpointBase = (): VmEndpointBase => {
  const cores = new WeakMap<object, VmCore>();
  class EndpointBase extends EventTarget {
    constructor(core: VmCore) {
      super();
      cores.set(this, core);
    }
  }
  for (const [name, endpoint] of Object.entries(VM_ENDPOINTS)) {
    // A named method, so that stack traces and `vm.putDrive.name` say which endpoint it is.
    const { [name]: method } = {
      [name](this: object, ...args: unknown[]): Promise<unknown> {
        const core = cores.get(this);
        if (core === undefined) {
          return Promise.reject(new TypeError(`vm.${name}() was called on something not a Vm`));
        }
        return callVmEndpoint(core, name, endpoint, args);
      },
    };
    Object.defineProperty(EndpointBase.prototype, name, {
      value: method,
      writable: true,
      configurable: true,
    });
  }
  return EndpointBase as unknown as VmEndpointBase;
};

// The compiler checks each signature of `VmEndpointMethods` against its row: an argument exactly
// when the row has an input, one that takes what the row's model produces, and a result that
// holds what the row's response (or `select`) gives.
type Row<Name extends keyof VmEndpointMethods> = (typeof VM_ENDPOINTS)[Name];
type ModelOutput<Schema> = Schema extends WireSchema ? WireOutput<Schema> : never;
type RowResult<Entry> = Entry extends { readonly select: (body: never) => infer Result }
  ? Result
  : Entry extends { readonly response: infer Schema }
    ? ModelOutput<Schema>
    : void;
type RowParameters<Entry> = Entry extends { readonly input: { readonly schema: infer Schema } }
  ? [argument: ModelOutput<Schema>, options?: VmCallOptions]
  : [options?: VmCallOptions];
type RowMatches<Name extends keyof VmEndpointMethods> =
  RowParameters<Row<Name>> extends Parameters<VmEndpointMethods[Name]>
    ? Promise<RowResult<Row<Name>>> extends ReturnType<VmEndpointMethods[Name]>
      ? true
      : Name
    : Name;
type Mismatched = {
  [Name in keyof VmEndpointMethods]: RowMatches<Name>;
}[keyof VmEndpointMethods];
/** The methods whose signature disagrees with their row: `never` when all agree (tested). */
export type VmEndpointMismatch = Exclude<Mismatched, true>;
