// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ActionHandlers, VmmCore } from './vmm-core.js';
import { faultOutcome, jsonOutcome, NO_CONTENT, type VmmOutcome } from './vmm-outcome.js';
import type { BalloonState, HotplugState } from './vm-resources.js';

const MIB = 1024 * 1024;
const NOT_FOUND = 'Internal VMM error: Failed perform action on device: Device not found';
const HINTING_OFF = 'Balloon update error: Balloon: Attempting to use hinting when not enabled';

const withBalloon = (core: VmmCore, run: (balloon: BalloonState) => VmmOutcome): VmmOutcome =>
  core.resources.balloon === undefined ? faultOutcome(NOT_FOUND) : run(core.resources.balloon);

const withHinting = (core: VmmCore, run: (balloon: BalloonState) => VmmOutcome): VmmOutcome =>
  withBalloon(core, (balloon) =>
    balloon.free_page_hinting ? run(balloon) : faultOutcome(HINTING_OFF),
  );

const withHotplug = (core: VmmCore, run: (hotplug: HotplugState) => VmmOutcome): VmmOutcome =>
  core.resources.hotplug === undefined
    ? faultOutcome('Memory hotplug update error: Device not found')
    : run(core.resources.hotplug);

// What a guest balloon driver that complies at once would report.
const balloonStats = (memSizeMib: number, amountMib: number): Record<string, number> => {
  const totalBytes = memSizeMib * MIB;
  const free = Math.max(0, totalBytes - amountMib * MIB - 32 * MIB);
  return {
    target_pages: amountMib * 256,
    actual_pages: amountMib * 256,
    target_mib: amountMib,
    actual_mib: amountMib,
    swap_in: 0,
    swap_out: 0,
    major_faults: 12,
    minor_faults: 4096,
    free_memory: free,
    total_memory: totalBytes,
    available_memory: free + 8 * MIB,
    disk_caches: 8 * MIB,
    hugetlb_allocations: 0,
    hugetlb_failures: 0,
    oom_kill: 0,
    alloc_stall: 0,
    async_scan: 0,
    direct_scan: 0,
    async_reclaim: 0,
    direct_reclaim: 0,
  };
};

/** The balloon and memory hotplug devices of a booted VM, driven by a compliant guest. */
export const RUNTIME_HANDLERS = {
  // update_balloon_config reports a missing device as a balloon error, unlike the others.
  PatchBalloon: (core, action) =>
    core.resources.balloon === undefined
      ? faultOutcome('Balloon update error: Failed perform action on device: Device not found')
      : withBalloon(core, (balloon) => {
          const amount = Number(action.body.amount_mib);
          if (amount > core.resources.machineConfig.mem_size_mib) {
            return faultOutcome(
              `Balloon update error: Balloon: Requested memory should be less than ${amount}MiB`,
            );
          }
          core.context.metrics.inc(
            'balloon',
            amount > balloon.amount_mib ? 'inflate_count' : 'deflate_count',
          );
          balloon.amount_mib = amount;
          return NO_CONTENT;
        }),
  PatchBalloonStats: (core, action) =>
    withBalloon(core, (balloon) => {
      const interval = Number(action.body.stats_polling_interval_s);
      if ((interval === 0) !== (balloon.stats_polling_interval_s === 0)) {
        return faultOutcome(
          'Balloon update error: Balloon: Statistics cannot be enabled/disabled after activation.',
        );
      }
      balloon.stats_polling_interval_s = interval;
      return NO_CONTENT;
    }),
  GetBalloonStats: (core) =>
    withBalloon(core, (balloon) =>
      balloon.stats_polling_interval_s === 0
        ? faultOutcome('Internal VMM error: Balloon: Received stats query when stats are disabled.')
        : jsonOutcome(balloonStats(core.resources.machineConfig.mem_size_mib, balloon.amount_mib)),
    ),
  StartBalloonHinting: (core, action) =>
    withHinting(core, (balloon) => {
      core.hintCommand += 1;
      balloon.hostCmd = core.hintCommand;
      balloon.guestCmd = core.hintCommand;
      balloon.acknowledgeOnStop = action.body.acknowledge_on_stop !== false;
      core.context.metrics.inc('balloon', 'free_page_hint_count');
      return NO_CONTENT;
    }),
  StopBalloonHinting: (core) =>
    withHinting(core, (balloon) => {
      // FREE_PAGE_HINT_STOP is 0; with acknowledge_on_stop the device then reports DONE (1).
      balloon.hostCmd = balloon.acknowledgeOnStop ? 1 : 0;
      balloon.guestCmd = 0;
      return NO_CONTENT;
    }),
  GetBalloonHintingStatus: (core) =>
    withHinting(core, (balloon) =>
      jsonOutcome({ host_cmd: balloon.hostCmd, guest_cmd: balloon.guestCmd }),
    ),
  PatchMemoryHotplug: (core, action) =>
    withHotplug(core, (hotplug) => {
      const requested = Number(action.body.requested_size_mib);
      if (requested % hotplug.block_size_mib !== 0 || requested > hotplug.total_size_mib) {
        return faultOutcome(
          `Memory hotplug update error: Failed to create memory hotplug device: Size ${requested * MIB} is invalid: it must be a multiple of block size and less than the total size`,
        );
      }
      // The guest's virtio-mem driver plugs what was asked for at once.
      hotplug.requested_size_mib = requested;
      hotplug.plugged_size_mib = requested;
      return NO_CONTENT;
    }),
  GetMemoryHotplugStatus: (core) =>
    withHotplug(core, (hotplug) =>
      jsonOutcome({
        total_size_mib: hotplug.total_size_mib,
        slot_size_mib: hotplug.slot_size_mib,
        block_size_mib: hotplug.block_size_mib,
        plugged_size_mib: hotplug.plugged_size_mib,
        requested_size_mib: hotplug.requested_size_mib,
      }),
    ),
} satisfies Partial<ActionHandlers>;
