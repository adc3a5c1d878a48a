// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner } from '@kindling/spawner';
import { ResourceSystem, VmmInstallation, type VmmArguments } from '@kindling/vmm-core';
import { z } from 'zod';
import {
  instanceSchema,
  invokeOptionsSchema,
  methodHolderSchema,
  parseOptions,
  stepOptionsSchema,
} from './parse-options.js';
import type {
  VmmExecutorContext,
  VmmExecutorInvokeOptions,
  VmmExecutorStepOptions,
} from './vmm-executor.js';

// An argument resource may not be a Resource at all, and its virtualPath throws until initialised.
const describeResource = (resource: object): string => {
  const initialPath = (resource as { initialPath?: unknown }).initialPath;
  return typeof initialPath === 'string' ? initialPath : 'not a Resource';
};

// A context may carry more than the executor reads (the VM's own fields): it is not strict.
const contextSchema = z.object(
  {
    installation: instanceSchema(VmmInstallation, 'VmmInstallation', {
      firecrackerPath: 'string',
      jailerPath: 'string',
    }),
    resourceSystem: instanceSchema(ResourceSystem, 'ResourceSystem', {
      resources: 'object',
      initializeAll: 'function',
      disposeAll: 'function',
    }),
    spawner: methodHolderSchema<ProcessSpawner>(
      'spawn',
      'expected a ProcessSpawner (an object with a spawn method)',
    ),
  },
  { error: 'expected an executor context object' },
);

/** Checks the context a hook (`prepare`, `invoke`, `cleanup`) was given, and returns it. */
export type ContextCheck = (hook: string, context: VmmExecutorContext) => VmmExecutorContext;

/**
 * Makes the check of the context an executor's hooks are given: an installation, a spawner and a
 * resource system that holds every resource the VMM arguments carry (only its resources can be
 * initialised). The schema is built once, with the executor: building a zod schema costs more
 * than parsing with it, and every hook of every VM runs the check.
 */
export const createContextCheck = (vmmArguments: VmmArguments): ContextCheck => {
  // zod compiles a schema on its first parse: a schema refined per executor (one per VM) would be
  // compiled for each VM. The shared schema checks the shape; the membership check is by hand, and
  // the refined schema is built only to word a refusal as zod does.
  const holdsEveryResource = (resourceSystem: VmmExecutorContext['resourceSystem']): boolean => {
    const members = new Set<unknown>(resourceSystem.resources);
    return vmmArguments.resources.every((resource) => members.has(resource));
  };
  const refusal = () =>
    contextSchema.superRefine(({ resourceSystem }, issues) => {
      const members = new Set<unknown>(resourceSystem.resources);
      for (const resource of vmmArguments.resources) {
        if (!members.has(resource)) {
          issues.addIssue({
            code: 'custom',
            path: ['resourceSystem'],
            message: `the VMM arguments use a resource (${describeResource(resource)}) this system does not hold: create it with this system's createResource`,
            input: resourceSystem,
          });
        }
      }
    });
  return (hook, context) => {
    parseOptions(contextSchema, context, `${hook}(context)`);
    if (!holdsEveryResource(context.resourceSystem)) {
      parseOptions(refusal(), context, `${hook}(context)`);
    }
    return context;
  };
};

/** Checks the options of `prepare` or `cleanup` (`hook`): an optional signal. */
export const checkStepOptions = (
  hook: 'prepare' | 'cleanup' | 'readResourceUsage',
  options: VmmExecutorStepOptions | undefined,
): z.output<typeof stepOptionsSchema> =>
  // No options is the common call, and all zod would do with it is apply the default.
  options === undefined ? {} : parseOptions(stepOptionsSchema, options, `${hook}(options)`);

/** Checks the options of `invoke`: an optional config file path and signal. */
export const checkInvokeOptions = (
  options: VmmExecutorInvokeOptions | undefined,
): z.output<typeof invokeOptionsSchema> =>
  options === undefined ? {} : parseOptions(invokeOptionsSchema, options, 'invoke(options)');
