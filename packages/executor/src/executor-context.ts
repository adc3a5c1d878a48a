// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner } from '@kindling/spawner';
import { ResourceSystem, VmmInstallation, type VmmArguments } from '@kindling/vmm-core';
import { checkInstance, invalidOption } from './executor-options.js';
import type { VmmExecutorContext } from './vmm-executor.js';

// An argument resource may not be a Resource at all, and its virtualPath throws until initialised.
const describeResource = (resource: object): string => {
  const initialPath = (resource as { initialPath?: unknown }).initialPath;
  return typeof initialPath === 'string' ? initialPath : 'not a Resource';
};

/**
 * Checks the context a hook was given: an installation, a spawner and a resource system that
 * holds every resource the VMM arguments carry (only its resources can be initialised).
 */
export const checkContext = (
  hook: string,
  context: VmmExecutorContext,
  vmmArguments: VmmArguments,
): VmmExecutorContext => {
  if (typeof context !== 'object' || context === null) {
    throw invalidOption(`${hook}(context)`, 'expected an executor context object', context);
  }
  checkInstance(
    `${hook}(context).installation`,
    context.installation,
    { class: VmmInstallation, name: 'VmmInstallation' },
    'jailerPath',
  );
  checkInstance(
    `${hook}(context).resourceSystem`,
    context.resourceSystem,
    { class: ResourceSystem, name: 'ResourceSystem' },
    'initializeAll',
  );
  if (typeof (context.spawner as Partial<ProcessSpawner> | null)?.spawn !== 'function') {
    throw invalidOption(
      `${hook}(context).spawner`,
      'expected a ProcessSpawner (an object with a spawn method)',
      context.spawner,
    );
  }
  const members = new Set<unknown>(context.resourceSystem.resources);
  for (const resource of vmmArguments.resources) {
    if (!members.has(resource)) {
      throw invalidOption(
        `${hook}(context).resourceSystem`,
        `the VMM arguments use a resource (${describeResource(resource)}) this system does not hold: create it with this system's createResource`,
        context.resourceSystem,
      );
    }
  }
  return context;
};
