// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import type { FakeEnvConfig, FakeExitPoint } from '../faults/env-switches.js';
import { SimulatedGuest } from '../guest/simulated-guest.js';
import { ApiRequestHandler } from './api/api-request-handler.js';
import { serveApi } from './api-serving.js';
import { bootFromConfigFile, ConfigFileError, parseMetadata } from './config-file.js';
import { LOG_SITES } from './firecracker-logger.js';
import { EXIT_CODES, failMain, type StartupIo } from './startup-failures.js';
import type { StartupInputs } from './startup-inputs.js';
import { FakeVmm } from './vmm/fake-vmm.js';

/** The parsed command line and what start-up read. */
export interface VmmProcessInput {
  readonly env: FakeEnvConfig;
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
  readonly inputs: StartupInputs;
  readonly resolvePath: (path: string) => string;
  /** Where a Unix socket path is bound or connected to (see `createSocketPathResolver`). */
  readonly resolveSocketPath: (path: string) => string;
  readonly stdin: Readable | undefined;
}

const formatBootTime = (bootMs: number): string => {
  const us = Math.round(bootMs * 1000);
  const ms = Math.floor(us / 1000);
  return `Guest-boot-time = ${String(us).padStart(6)} us ${ms} ms, ${String(us).padStart(6)} CPU us ${ms} CPU ms`;
};

/** Firecracker after start-up: the API thread, the VMM, the guest, until the process ends. */
export const runVmmProcess = async (io: StartupIo, input: VmmProcessInput): Promise<number> => {
  const { logger, end } = io;
  const { env, values, switches, inputs } = input;
  const { metrics } = inputs;
  logger.onMissed = () => metrics.inc('logger', 'missed_log_count');
  let vmm: FakeVmm | undefined;
  let handler: ApiRequestHandler | undefined;
  const finish = (code: number): void => {
    if (end.hasEnded) {
      return;
    }
    logger.info(LOG_SITES.vmm, 'Vmm is stopping.');
    if (vmm !== undefined) {
      metrics.flush(vmm.metricsDevices());
    }
    const line = `Firecracker exiting ${code === EXIT_CODES.ok ? 'successfully' : 'with error'}. exit_code=${code}`;
    logger.log(code === EXIT_CODES.ok ? 'Info' : 'Error', LOG_SITES.mainExit, line);
    end.exit(code);
  };
  const guest = new SimulatedGuest({
    stdout: io.stdout,
    onSerialBytes: (count) => metrics.inc('uart', 'write_count', count),
    bootMarker: env.bootMarker,
    bootDelayMs: env.bootDelayMs,
    ctrlAltDel: env.ctrlAltDel,
    guestConnectPorts: env.vsockGuestConnectPorts,
    onReset: () => finish(EXIT_CODES.ok),
    crashAfterMs: env.guestCrashMs,
    // What v1.16.1 does when its vCPU meets KVM_EXIT_INTERNAL_ERROR: the VMM stops with an error
    // and main() reports it (in the log and on stderr) and exits 1.
    onCrash: () => {
      if (end.hasEnded) {
        return;
      }
      logger.error(LOG_SITES.vcpu, 'Received KVM_EXIT_INTERNAL_ERROR signal');
      logger.info(LOG_SITES.vmm, 'Vmm is stopping.');
      if (vmm !== undefined) {
        metrics.flush(vmm.metricsDevices());
      }
      end.exit(
        failMain(
          io,
          'RunWithApiError error: MicroVM stopped with an error: GenericError',
          'RunWithApi(MicroVMStoppedWithError(GenericError))',
          EXIT_CODES.generic,
        ),
      );
    },
    // --boot-timer: the guest writes to the boot timer device and Firecracker logs the time.
    ...(switches.has('boot-timer')
      ? { onBooted: (bootMs: number) => logger.info(LOG_SITES.vcpu, formatBootTime(bootMs)) }
      : {}),
  });
  let metricsTimer: NodeJS.Timeout | undefined;
  const exitAt = (point: FakeExitPoint): boolean => {
    const rule = env.exitRules.find((candidate) => candidate.point === point);
    if (rule === undefined) {
      return false;
    }
    handler?.stop();
    end.perform(rule.outcome);
    return true;
  };
  const fakeVmm = new FakeVmm({
    instanceId: values.get('id') ?? 'anonymous-instance',
    resolvePath: input.resolvePath,
    resolveSocketPath: input.resolveSocketPath,
    logger,
    metrics,
    guest,
    enablePci: switches.has('enable-pci'),
    mmdsSizeLimit: inputs.mmdsSizeLimit,
    vsockServices: env.vsockServices,
    execProtocol: env.execProtocol,
    exitAt,
    onStarted: () => {
      if (metricsTimer !== undefined) {
        return;
      }
      // PeriodicMetrics::start writes a line at once, then every period.
      metrics.flush(fakeVmm.metricsDevices());
      metricsTimer = setInterval(() => {
        // A paused VMM only serves the API: the metrics timer is frozen too.
        if (fakeVmm.state !== 'Paused') {
          metrics.flush(fakeVmm.metricsDevices());
        }
      }, env.metricsPeriodMs);
    },
  });
  vmm = fakeVmm;
  let releaseReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    releaseReady = resolve;
  });
  const afterRequests = env.exitRules.find((rule) => rule.point === 'after-requests');
  const requestHandler = new ApiRequestHandler({
    vmm: fakeVmm,
    logger,
    metrics,
    responseFaults: env.responseFaults,
    journal: inputs.journal,
    ready,
    onRequestDone: (count) => {
      if (afterRequests !== undefined && count === afterRequests.afterRequests) {
        requestHandler.stop();
        end.perform(afterRequests.outcome);
      }
    },
    // A failed snapshot load ends the pre-boot controller: main() reports it and exits.
    onFatalExit: (code) => {
      if (!end.hasEnded) {
        end.exit(
          failMain(
            io,
            'RunWithApiError error: Failed to build MicroVM: Loading snapshot failed..',
            'RunWithApi(BuildMicroVmError(Restore))',
            code,
          ),
        );
      }
    },
    signal: end.signal,
  });
  handler = requestHandler;
  const removeSignalHandlers = end.handleSignals((signal) => {
    // Firecracker stores 1 in the signal's SharedStoreMetric (only sigpipe's is a counter).
    metrics.store('signals', signal.counter, 1);
    logger.error(
      LOG_SITES.signals,
      `Shutting down VM after intercepting signal ${signal.number}, code 0.`,
    );
    metrics.flush(fakeVmm.metricsDevices());
    end.exit(signal.exitCode);
  });
  const detachInput = input.stdin === undefined ? undefined : guest.attachConsoleInput(input.stdin);

  const apiEnabled = !switches.has('no-api');
  const socketPath = values.get('api-sock') ?? '/run/firecracker.socket';
  const server = apiEnabled
    ? await serveApi(io, {
        socketPath,
        resolvedPath: input.resolveSocketPath(socketPath),
        delayMs: env.socketDelayMs,
        payloadLimit: inputs.payloadLimit,
        startTimeUs: inputs.startTimeUs,
        handler: requestHandler,
        metrics,
      })
    : undefined;
  try {
    if (!end.hasEnded && inputs.configText !== undefined) {
      await bootFromConfigFile(fakeVmm, inputs.configText, inputs.metadataText, input.resolvePath);
      logger.info(
        LOG_SITES.main,
        'Successfully started microvm that was configured from one single json',
      );
    } else if (
      !end.hasEnded &&
      inputs.metadataText !== undefined &&
      !fakeVmm.seedMmds(parseMetadata(inputs.metadataText))
    ) {
      throw new ConfigFileError({
        display: "MMDS limit exceeded error: The MMDS patch request doesn't fit.",
        debug: 'MmdsLimitExceeded',
      });
    }
    releaseReady();
  } catch (error) {
    if (!(error instanceof ConfigFileError)) {
      throw error;
    }
    // main() reports a failed build and exits: no VMM ran, so no "Vmm is stopping." line.
    handler.stop();
    end.exit(
      apiEnabled
        ? failMain(
            io,
            `RunWithApiError error: Failed to build MicroVM from Json: ${error.message}`,
            `RunWithApi(BuildFromJson(${error.debug}))`,
            EXIT_CODES.generic,
          )
        : failMain(
            io,
            `RunWithoutApiError error: Failed to build MicroVM from Json: ${error.message}`,
            `RunWithoutApiError(BuildMicroVMFromJson(${error.debug}))`,
            EXIT_CODES.generic,
          ),
    );
  }

  const code = await end.exited;
  clearInterval(metricsTimer);
  removeSignalHandlers();
  detachInput?.();
  requestHandler.stop();
  guest.dispose();
  await server?.close();
  await fakeVmm.close();
  metrics.close();
  inputs.journal?.close();
  return code;
};
