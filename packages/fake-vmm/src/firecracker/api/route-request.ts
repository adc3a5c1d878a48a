// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { HttpRequest } from '../../http/http-request-parser.js';
import * as models from '../api-models.js';
import { deserializeBody, type Schema } from '../serde/deserialize.js';
import { JsonReader } from '../serde/json-reader.js';
import { parseJsonValue, type JsonValue } from '../serde/json-value.js';
import { formatRustDebugString } from '../serde/rust-format.js';
import { SerdeError } from '../serde/serde-error.js';
import { timedActionName, type Body, type VmmAction } from '../vmm/vmm-action.js';

/** A metrics counter pair `<group>.<name>_count` / `<name>_fails`. */
export type RequestCounter = readonly [group: string, name: string];

/** What routing a request yields: an action for the VMM, or an immediate 400 fault. */
export type RouteResult =
  | {
      readonly kind: 'action';
      readonly action: VmmAction;
      /** The deprecation warning to log; the response then carries `Deprecation: true`. */
      readonly deprecation?: string;
      readonly counter?: RequestCounter;
      /** The name under which the API thread logs the request's duration, if it does. */
      readonly timedName?: string;
    }
  | { readonly kind: 'fault'; readonly message: string; readonly counter?: RequestCounter };

class RouteError extends Error {
  static {
    this.prototype.name = 'RouteError';
  }
}

const serdeMessage = (error: SerdeError): string =>
  `An error occurred when deserializing the json body of a request: ${error.describe()}.`;

const parse = (schema: Schema, body: Buffer): Body => {
  const result = deserializeBody<Body>(schema, body);
  if (!result.ok) {
    throw new RouteError(serdeMessage(result.error));
  }
  return result.value;
};

const parseValue = (body: Buffer): JsonValue => {
  const reader = new JsonReader(body);
  try {
    const value = parseJsonValue(reader);
    reader.end();
    return value;
  } catch (error) {
    if (error instanceof SerdeError) {
      throw new RouteError(serdeMessage(error));
    }
    throw error;
  }
};

const ID_PATTERN = /^[\p{Alphabetic}\p{N}_]+$/u;

/** Firecracker's `checked_id`: non-empty, Unicode alphanumerics and `_` only. */
const checkedId = (id: string | undefined): string => {
  if (id === undefined || id === '') {
    throw new RouteError('The ID cannot be empty.');
  }
  if (!ID_PATTERN.test(id)) {
    throw new RouteError(
      'API Resource IDs can only contain alphanumeric characters and underscores.',
    );
  }
  return id;
};

const invalidPath = (method: string, path: string): RouteError =>
  new RouteError(`Invalid request method and/or path: ${method} ${path}.`);

const action = (value: VmmAction, counter?: RequestCounter, deprecation?: string): RouteResult => {
  const timedName = timedActionName(value);
  return {
    kind: 'action',
    action: value,
    ...(counter === undefined ? {} : { counter }),
    ...(deprecation === undefined ? {} : { deprecation }),
    ...(timedName === undefined ? {} : { timedName }),
  };
};

const PUT = 'put_api_requests';
const PATCH = 'patch_api_requests';
const GET = 'get_api_requests';

const routeGet = (segment: string, tokens: readonly string[]): RouteResult => {
  switch (segment) {
    case '':
      return action({ type: 'GetInstanceInfo' }, [GET, 'instance_info']);
    case 'version':
      return action({ type: 'GetVersion' }, [GET, 'vmm_version']);
    case 'machine-config':
      return action({ type: 'GetMachineConfig' }, [GET, 'machine_cfg']);
    case 'mmds':
      return action({ type: 'GetMmds' }, [GET, 'mmds']);
    case 'vm':
      if (tokens[0] === 'config') {
        return action({ type: 'GetFullVmConfig' });
      }
      break;
    case 'balloon':
      if (tokens.length === 0) {
        return action({ type: 'GetBalloonConfig' });
      }
      if (tokens[0] === 'statistics' && tokens.length === 1) {
        return action({ type: 'GetBalloonStats' });
      }
      if (tokens[0] === 'hinting' && tokens[1] === 'status') {
        return action({ type: 'GetBalloonHintingStatus' });
      }
      throw invalidPath('GET', `/balloon/${tokens.join('/')}`);
    case 'hotplug':
      if (tokens[0] === 'memory') {
        return action({ type: 'GetMemoryHotplugStatus' }, [GET, 'hotplug_memory']);
      }
      throw invalidPath('GET', `/hotplug/${tokens[0] ?? ''}`);
    default:
      break;
  }
  throw invalidPath('GET', segment);
};

const machineConfigDeprecation = (body: Body, method: string): string | undefined =>
  body.cpu_template === undefined || body.cpu_template === null
    ? undefined
    : `${method} /machine-config: cpu_template field is deprecated.`;

const routePutSnapshot = (operation: string | undefined, body: Buffer): RouteResult => {
  if (operation === 'create') {
    return action({ type: 'CreateSnapshot', body: parse(models.SNAPSHOT_CREATE, body) });
  }
  if (operation !== 'load') {
    throw operation === undefined
      ? new RouteError('Missing snapshot operation type.')
      : invalidPath('PUT', `/snapshot/${operation}`);
  }
  const config = parse(models.SNAPSHOT_LOAD, body);
  const hasBackend = config.mem_backend !== undefined && config.mem_backend !== null;
  const hasFile = config.mem_file_path !== undefined && config.mem_file_path !== null;
  if (hasBackend && hasFile) {
    throw new RouteError(
      'An error occurred when deserializing the json body of a request: too many fields: either `mem_backend` or `mem_file_path` exclusively is required.',
    );
  }
  if (!hasBackend && !hasFile) {
    throw new RouteError(
      'An error occurred when deserializing the json body of a request: missing field: either `mem_backend` or `mem_file_path` is required.',
    );
  }
  const deprecation = hasFile
    ? 'PUT /snapshot/load: mem_file_path field is deprecated.'
    : config.enable_diff_snapshots === true
      ? 'PUT /snapshot/load: enable_diff_snapshots field is deprecated.'
      : undefined;
  return action({ type: 'LoadSnapshot', body: config }, undefined, deprecation);
};

const routePutMmds = (token: string | undefined, body: Buffer): RouteResult => {
  if (token === undefined) {
    return action({ type: 'PutMmds', value: parseValue(body) }, [PUT, 'mmds']);
  }
  if (token !== 'config') {
    throw invalidPath('PUT', `/mmds/${token}`);
  }
  const config = parse(models.MMDS_CONFIG, body);
  // Version defaults to V1, which is deprecated: only an explicit "V2" avoids the warning.
  const deprecation =
    config.version === 'V2' ? undefined : 'PUT /mmds/config: V1 is deprecated. Use V2 instead.';
  return action({ type: 'PutMmdsConfig', body: config }, [PUT, 'mmds'], deprecation);
};

const routePut = (segment: string, tokens: readonly string[], body: Buffer): RouteResult => {
  switch (segment) {
    case 'actions':
      return routeAction(body);
    case 'balloon':
      return action({ type: 'PutBalloon', body: parse(models.BALLOON, body) });
    case 'boot-source':
      return action({ type: 'PutBootSource', body: parse(models.BOOT_SOURCE, body) }, [
        PUT,
        'boot_source',
      ]);
    case 'cpu-config': {
      parse(models.CPU_CONFIG, body);
      return action({ type: 'PutCpuConfig', config: parseValue(body) }, [PUT, 'cpu_cfg']);
    }
    case 'drives': {
      const id = checkedId(tokens[0]);
      const config = parse(models.DRIVE, body);
      if (config.drive_id !== id) {
        throw new RouteError('The id from the path does not match the id from the body!');
      }
      return action({ type: 'PutDrive', body: config }, [PUT, 'drive']);
    }
    case 'logger':
      return action({ type: 'PutLogger', body: parse(models.LOGGER, body) }, [PUT, 'logger']);
    case 'serial':
      return action({ type: 'PutSerial', body: parse(models.SERIAL, body) }, [PUT, 'serial']);
    case 'machine-config': {
      const config = parse(models.MACHINE_CONFIG, body);
      return action(
        { type: 'PutMachineConfig', body: config },
        [PUT, 'machine_cfg'],
        machineConfigDeprecation(config, 'PUT'),
      );
    }
    case 'metrics':
      return action({ type: 'PutMetrics', body: parse(models.METRICS, body) }, [PUT, 'metrics']);
    case 'mmds':
      return routePutMmds(tokens[0], body);
    case 'network-interfaces': {
      const id = checkedId(tokens[0]);
      const config = parse(models.NETWORK_INTERFACE, body);
      if (config.iface_id !== id) {
        throw new RouteError(
          `The id from the path [${id}] does not match the id from the body [${String(config.iface_id)}]!`,
        );
      }
      return action({ type: 'PutNetwork', body: config }, [PUT, 'network']);
    }
    case 'snapshot':
      return routePutSnapshot(tokens[0], body);
    case 'vsock': {
      const config = parse(models.VSOCK, body);
      const deprecation =
        config.vsock_id === undefined || config.vsock_id === null
          ? undefined
          : 'PUT /vsock: vsock_id field is deprecated.';
      return action({ type: 'PutVsock', body: config }, [PUT, 'vsock'], deprecation);
    }
    case 'entropy':
      return action({ type: 'PutEntropy', body: parse(models.ENTROPY, body) });
    case 'hotplug':
      if (tokens[0] === 'memory') {
        return action({ type: 'PutMemoryHotplug', body: parse(models.MEMORY_HOTPLUG, body) }, [
          PUT,
          'hotplug_memory',
        ]);
      }
      throw invalidPath('PUT', `/hotplug/${tokens[0] ?? ''}`);
    case 'pmem': {
      const id = checkedId(tokens[0]);
      const config = parse(models.PMEM, body);
      if (config.id !== id) {
        throw new RouteError('The id from the path does not match the id from the body!');
      }
      return action({ type: 'PutPmem', body: config }, [PUT, 'pmem']);
    }
    default:
      throw invalidPath('PUT', segment);
  }
};

const routeAction = (body: Buffer): RouteResult => {
  const { action_type: type } = parse(models.ACTION, body);
  const counter: RequestCounter = [PUT, 'actions'];
  switch (type) {
    case 'InstanceStart':
      return action({ type: 'InstanceStart' }, counter);
    case 'FlushMetrics':
      return action({ type: 'FlushMetrics' }, counter);
    default:
      return action({ type: 'SendCtrlAltDel' }, counter);
  }
};

const routePatchBalloon = (tokens: readonly string[], body: Buffer | undefined): RouteResult => {
  const [first, second] = tokens;
  if (first === 'hinting' && second === 'start') {
    return action({
      type: 'StartBalloonHinting',
      body: body === undefined ? {} : parse(models.BALLOON_HINTING_START, body),
    });
  }
  if (first === 'hinting' && second === 'stop') {
    return action({ type: 'StopBalloonHinting' });
  }
  if (body === undefined) {
    throw new RouteError('Empty PATCH request.');
  }
  if (first === 'statistics' && second === undefined) {
    return action({ type: 'PatchBalloonStats', body: parse(models.BALLOON_STATS_UPDATE, body) });
  }
  if (first === undefined) {
    return action({ type: 'PatchBalloon', body: parse(models.BALLOON_UPDATE, body) });
  }
  throw invalidPath('PATCH', `/balloon/${tokens.join('/')}`);
};

const routePatch = (segment: string, tokens: readonly string[], body: Buffer): RouteResult => {
  switch (segment) {
    case 'drives': {
      const id = checkedId(tokens[0]);
      const update = parse(models.DRIVE_UPDATE, body);
      if (update.drive_id !== id) {
        throw new RouteError('The id from the path does not match the id from the body!');
      }
      return action({ type: 'PatchDrive', body: update }, [PATCH, 'drive']);
    }
    case 'machine-config': {
      const update = parse(models.MACHINE_CONFIG_UPDATE, body);
      if (Object.values(update).every((value) => value === null || value === undefined)) {
        throw new RouteError('Empty PATCH request.');
      }
      return action(
        { type: 'PatchMachineConfig', body: update },
        [PATCH, 'machine_cfg'],
        machineConfigDeprecation(update, 'PATCH'),
      );
    }
    case 'mmds':
      return action({ type: 'PatchMmds', value: parseValue(body) }, [PATCH, 'mmds']);
    case 'network-interfaces': {
      const id = checkedId(tokens[0]);
      const update = parse(models.NETWORK_INTERFACE_UPDATE, body);
      if (update.iface_id !== id) {
        throw new RouteError(
          `The id from the path [${id}] does not match the id from the body [${String(update.iface_id)}]!`,
        );
      }
      return action({ type: 'PatchNetwork', body: update }, [PATCH, 'network']);
    }
    case 'vm': {
      const { state } = parse(models.VM_STATE, body);
      return action({ type: 'PatchVmState', state: state === 'Paused' ? 'Paused' : 'Resumed' });
    }
    case 'hotplug':
      if (tokens[0] === 'memory') {
        return action(
          { type: 'PatchMemoryHotplug', body: parse(models.MEMORY_HOTPLUG_UPDATE, body) },
          [PATCH, 'hotplug_memory'],
        );
      }
      throw invalidPath('PATCH', `/hotplug/${tokens[0] ?? ''}`);
    case 'pmem': {
      const id = checkedId(tokens[0]);
      const update = parse(models.PMEM_UPDATE, body);
      if (update.id !== id) {
        throw new RouteError('The id from the path does not match the id from the body!');
      }
      return action({ type: 'PatchPmem', body: update });
    }
    default:
      throw invalidPath('PATCH', segment);
  }
};

const routeDelete = (segment: string, tokens: readonly string[]): RouteResult => {
  switch (segment) {
    case 'drives':
      return action({ type: 'DeleteDrive', id: checkedId(tokens[0]) });
    case 'network-interfaces':
      return action({ type: 'DeleteNetwork', id: checkedId(tokens[0]) });
    case 'pmem':
      return action({ type: 'DeletePmem', id: checkedId(tokens[0]) });
    default:
      throw invalidPath('DELETE', segment);
  }
};

/** The path segments Firecracker matches on: leading `/`s trimmed, `split_terminator('/')`. */
export const splitPath = (path: string): string[] => {
  const trimmed = path.replace(/^\/+/u, '');
  if (trimmed === '') {
    return [];
  }
  const segments = trimmed.split('/');
  if (segments.at(-1) === '') {
    segments.pop();
  }
  return segments;
};

const counterOf = (segment: string, method: string): RequestCounter | undefined => {
  const names: Readonly<Record<string, string>> = {
    'boot-source': 'boot_source',
    'cpu-config': 'cpu_cfg',
    drives: 'drive',
    logger: 'logger',
    serial: 'serial',
    'machine-config': 'machine_cfg',
    metrics: 'metrics',
    mmds: 'mmds',
    'network-interfaces': 'network',
    vsock: 'vsock',
    actions: 'actions',
    pmem: 'pmem',
    hotplug: 'hotplug_memory',
  };
  const name = names[segment];
  if (name === undefined || (method !== 'PUT' && method !== 'PATCH')) {
    return undefined;
  }
  return [method === 'PUT' ? PUT : PATCH, name];
};

const routeByMethod = (
  method: HttpRequest['method'],
  segment: string,
  tokens: readonly string[],
  body: Buffer | undefined,
): RouteResult => {
  if (method === 'GET') {
    if (body !== undefined) {
      throw new RouteError('GET request cannot have a body.');
    }
    return routeGet(segment, tokens);
  }
  if (method === 'DELETE') {
    if (body !== undefined) {
      throw new RouteError('Empty Delete request.');
    }
    return routeDelete(segment, tokens);
  }
  // PATCH /balloon/hinting/start and /stop take no body.
  if (method === 'PATCH' && segment === 'balloon') {
    return routePatchBalloon(tokens, body);
  }
  if (body === undefined) {
    throw new RouteError(method === 'PUT' ? 'Empty PUT request.' : 'Empty PATCH request.');
  }
  return method === 'PUT' ? routePut(segment, tokens, body) : routePatch(segment, tokens, body);
};

/** Firecracker's `ParsedRequest::try_from`: route and decode a request, or fault it. */
export const routeRequest = (request: HttpRequest): RouteResult => {
  const [segment = '', ...tokens] = splitPath(request.path);
  try {
    return routeByMethod(request.method, segment, tokens, request.body);
  } catch (error) {
    if (!(error instanceof RouteError)) {
      throw error;
    }
    const counter = counterOf(segment, request.method);
    return { kind: 'fault', message: error.message, ...(counter === undefined ? {} : { counter }) };
  }
};

const METHOD_DEBUG: Readonly<Record<string, string>> = {
  GET: 'Get',
  PUT: 'Put',
  PATCH: 'Patch',
  DELETE: 'Delete',
};

/** Firecracker's `describe` of a request for its log line; MMDS bodies are never logged. */
export const describeRequest = (request: HttpRequest): string => {
  const head = `${METHOD_DEBUG[request.method] ?? request.method} request on ${formatRustDebugString(request.path)}`;
  if (request.body === undefined || request.path === '/mmds') {
    return head;
  }
  return `${head} with body ${formatRustDebugString(request.body.toString('utf8'))}`;
};
