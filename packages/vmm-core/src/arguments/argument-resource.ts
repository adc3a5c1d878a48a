// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { VmmCoreError } from '../errors.js';
import { Resource } from '../resources/resource.js';

/** The zod schema of a file option's resource: a `Resource` of the resource system. */
export const argumentResourceSchema = z.instanceof(Resource, {
  error: 'must be a path string or a Resource',
});

/**
 * The path a VMM flag carries for a path or a resource (its `virtualPath`, what the VMM sees),
 * checked like any flag value. `subject` names the option in errors.
 */
export const resolveArgumentPath = (value: string | Resource, subject: string): string => {
  if (typeof value === 'string') {
    return value;
  }
  let resolved: string;
  try {
    resolved = value.virtualPath;
  } catch (error) {
    throw new VmmCoreError(
      'ERR_RESOURCE_STATE',
      `${subject}: the ${value.initialPath} resource has no path yet (it is ${value.state}): initialise it before building the command line`,
      { cause: error },
    );
  }
  if (resolved === '' || resolved.includes('\0') || resolved.startsWith('--')) {
    throw new VmmCoreError(
      'ERR_INVALID_INPUT',
      `${subject}: a resource's path must be non-empty, without NUL, and not start with "--", got ${JSON.stringify(resolved)}`,
    );
  }
  return resolved;
};
