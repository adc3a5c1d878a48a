// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FakeCtrlAltDel } from '../faults/env-switches.js';
import { formatBootLog, type BootLogInput } from './boot-log.js';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { SerialConsole } from './serial-console.js';
import type { VsockDevice, VsockGuest } from './vsock-device.js';

/** Options of the simulated guest. */
export interface SimulatedGuestOptions {
  /** Where the serial console goes until `PUT /serial` redirects it: Firecracker's stdout. */
  readonly stdout: Writable;
  /** Counts the bytes the guest writes on its UART (metrics). */
  readonly onSerialBytes: (count: number) => void;
  readonly bootMarker: string;
  readonly bootDelayMs: number;
  readonly ctrlAltDel: FakeCtrlAltDel;
  readonly guestConnectPorts: readonly number[];
  /** The guest reset itself (reboot, Ctrl-Alt-Del, panic=1): Firecracker exits 0. */
  readonly onReset: () => void;
  /** How long after `InstanceStart` the guest dies by itself (running time); never if absent. */
  readonly crashAfterMs?: number | undefined;
  /** The guest died by itself (`crashAfterMs`): Firecracker stops with an error. */
  readonly onCrash?: () => void;
  /** The guest finished booting (its marker line), with the time since `InstanceStart`. */
  readonly onBooted?: (bootMs: number) => void;
}

/** Whether the kernel command line gives the guest a serial console Firecracker forwards. */
export const hasSerialConsole = (commandLine: string): boolean => {
  const parameters = commandLine.split(/\s+/u);
  return parameters.includes('console=ttyS0') && !parameters.includes('8250.nr_uarts=0');
};

/**
 * The guest behind the fake VMM: it boots (a boot log on the serial console ending with the
 * marker line, only when the command line has `console=ttyS0`), pauses and resumes with the VM,
 * reboots on Ctrl-Alt-Del, and obeys a few shell commands typed on the serial console.
 */
export class SimulatedGuest implements VsockGuest {
  private state: 'off' | 'booting' | 'up' | 'halted' = 'off';
  private paused = false;
  private console = false;
  private waiters: (() => void)[] = [];
  private onResume: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly options: SimulatedGuestOptions;
  /** The guest's serial console as the host sees it. */
  readonly serial: SerialConsole;
  /** The vsock device, once configured. */
  vsock: VsockDevice | undefined;
  /** How many times the guest ran since it was created: the content of its one dirty page. */
  generation = 0;

  constructor(options: SimulatedGuestOptions) {
    this.options = options;
    this.serial = new SerialConsole(options.stdout, options.onSerialBytes);
  }

  private schedule(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.whenResumed(action);
    }, delayMs);
    this.timers.add(timer);
  }

  private whenResumed(action: () => void): void {
    if (this.paused) {
      this.onResume.push(action);
    } else {
      action();
    }
  }

  private print(line: string): void {
    if (this.console) {
      this.serial.writeLine(line);
    }
  }

  private wake(): void {
    if (this.state !== 'off' && this.state !== 'halted' && !this.paused) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) {
        resolve();
      }
    }
  }

  /** Starts the guest after `InstanceStart`: boot log now, marker after the boot delay. */
  boot(input: BootLogInput): void {
    this.console = hasSerialConsole(input.commandLine);
    this.state = 'booting';
    this.generation += 1;
    const startedAt = performance.now();
    for (const line of formatBootLog(input)) {
      this.print(line);
    }
    this.wake();
    const { crashAfterMs, onCrash } = this.options;
    if (crashAfterMs !== undefined && onCrash !== undefined) {
      this.schedule(crashAfterMs, () => {
        if (this.state === 'booting' || this.state === 'up') {
          this.state = 'halted';
          onCrash();
        }
      });
    }
    this.schedule(this.options.bootDelayMs, () => {
      if (this.state !== 'booting') {
        return;
      }
      this.state = 'up';
      this.print(this.options.bootMarker);
      this.options.onBooted?.(performance.now() - startedAt);
      for (const port of this.options.guestConnectPorts) {
        this.vsock?.connectFromGuest(port);
      }
    });
  }

  /** Brings the guest back from a snapshot: already up, no boot log; paused unless `running`. */
  restore(commandLine: string, running: boolean, generation: number): void {
    this.console = hasSerialConsole(commandLine);
    this.generation = generation;
    this.state = 'up';
    this.paused = !running;
    if (running) {
      this.generation += 1;
    }
    this.wake();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) {
      return;
    }
    this.paused = false;
    this.generation += 1;
    const actions = this.onResume;
    this.onResume = [];
    for (const action of actions) {
      action();
    }
    this.wake();
  }

  /** Ctrl-Alt-Del through the i8042: the guest reboots (unless told to ignore it). */
  sendCtrlAltDel(): void {
    if (this.options.ctrlAltDel.kind === 'ignore') {
      return;
    }
    const { delayMs } = this.options.ctrlAltDel;
    this.whenResumed(() => this.reboot(delayMs));
  }

  private reboot(delayMs: number): void {
    if (this.state === 'halted') {
      return;
    }
    this.print('reboot: Restarting system');
    this.state = 'halted';
    this.schedule(delayMs, () => this.options.onReset());
  }

  /** Runs a command typed on the serial console (`reboot`, `poweroff`, `panic`, `vsock-connect`). */
  runCommand(line: string): void {
    if (!this.console || this.state !== 'up') {
      return;
    }
    const [command = '', ...args] = line.trim().split(/\s+/u);
    this.whenResumed(() => {
      switch (command) {
        case '':
          return;
        case 'reboot':
          this.reboot(0);
          return;
        case 'poweroff':
          // x86 has no ACPI power-off in Firecracker: the guest halts and the process stays up.
          this.print('reboot: Power down');
          this.state = 'halted';
          return;
        case 'panic':
          this.print('Kernel panic - not syncing: sysrq triggered crash');
          this.print('Rebooting in 1 seconds..');
          this.state = 'halted';
          this.schedule(1000, () => this.options.onReset());
          return;
        case 'vsock-connect': {
          const port = Number(args[0]);
          if (this.vsock === undefined || !Number.isSafeInteger(port)) {
            this.print('vsock-connect: no vsock device or no port');
            return;
          }
          this.vsock.connectFromGuest(port, args.length > 1 ? args.slice(1).join(' ') : undefined);
          return;
        }
        default:
          this.print(`sh: ${command}: not found`);
      }
    });
  }

  /** Reads guest shell commands, one per line, from the serial console's input. */
  attachConsoleInput(input: Readable): () => void {
    const lines = createInterface({ input, terminal: false });
    lines.on('line', (line) => this.runCommand(line));
    return () => lines.close();
  }

  waitUntilRunning(): Promise<void> {
    if ((this.state === 'booting' || this.state === 'up') && !this.paused) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiters.push(resolve);
    });
  }

  servicesReady(): boolean {
    return this.state === 'up' && !this.paused;
  }

  /** Whether the guest has been started (booted or restored). */
  get started(): boolean {
    return this.state !== 'off';
  }

  /** Stops every timer; pending waiters never resolve (the process is ending). */
  dispose(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.waiters = [];
    this.onResume = [];
    this.serial.close();
  }
}
