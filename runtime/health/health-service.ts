// The health service's handlers: statuses per service name ("" for the whole server), set by the
// application, answered by `check` and streamed by `watch`. Given its server, it knows the server's
// services (SERVING unless set otherwise) and reports NOT_SERVING for everything as soon as the server
// starts draining, then ends its watch streams so they do not hold the drain up.

import type { CallContext } from "../call-context.js";
import type { Server } from "../server/server.js";
import { RpcError, Status } from "../status.js";
import { type HealthCheckResponse, type HealthHandlers, ServingStatus } from "./generated/health.js";

/** One `watch` stream, and how to wake it when a status may have changed. */
interface Watcher {
  readonly service: string;
  wake: (() => void) | undefined;
}

/** Health statuses and the handlers that serve them (`server.add(Health, health.handlers)`). */
export class HealthService {
  readonly handlers: HealthHandlers;
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Set<Watcher>();
  private readonly server: Server | undefined;
  private draining = false;

  /** With `server`, its services are known and SERVING by default, and its drain is reported. */
  constructor(server?: Server) {
    this.server = server;
    server?.onDraining(() => {
      this.draining = true;
      this.wakeAll();
    });
    this.handlers = {
      check: (service) => this.check(service),
      watch: (service, ctx) => this.watch(service, ctx),
    };
  }

  /** Sets the status of `service` ("" for the whole server); watchers of it hear the change. */
  setStatus(service: string, status: ServingStatus): void {
    if (this.statuses.get(service) === status) return;
    this.statuses.set(service, status);
    this.wakeAll();
  }

  /** The status of `service` now: NOT_SERVING while draining, SERVICE_UNKNOWN for a service it does not know. */
  statusOf(service: string): ServingStatus {
    const set = this.statuses.get(service);
    if (set === undefined && !this.knows(service)) return ServingStatus.SERVICE_UNKNOWN;
    if (this.draining) return ServingStatus.NOT_SERVING;
    return set ?? ServingStatus.SERVING;
  }

  private knows(service: string): boolean {
    if (service === "") return true;
    const prefix = `${service}/`;
    for (const path of this.server?.routes.keys() ?? []) if (path.startsWith(prefix)) return true;
    return false;
  }

  private check(service: string): HealthCheckResponse {
    const status = this.statusOf(service);
    if (status === ServingStatus.SERVICE_UNKNOWN)
      throw new RpcError(Status.NOT_FOUND, `unknown service ${service}`);
    return { status };
  }

  private async *watch(service: string, ctx: CallContext): AsyncIterable<HealthCheckResponse> {
    const watcher: Watcher = { service, wake: undefined };
    const stop = (): void => watcher.wake?.();
    this.watchers.add(watcher);
    ctx.signal.addEventListener("abort", stop, { once: true });
    try {
      let sent: ServingStatus | undefined;
      while (!ctx.signal.aborted) {
        const status = this.statusOf(service);
        if (status !== sent) {
          sent = status;
          yield { status };
        }
        // Draining: the NOT_SERVING just sent is the last word, and the stream must not hold the drain up.
        if (this.draining) return;
        await new Promise<void>((resolve) => {
          watcher.wake = resolve;
        });
        watcher.wake = undefined;
      }
    } finally {
      this.watchers.delete(watcher);
      ctx.signal.removeEventListener("abort", stop);
    }
  }

  private wakeAll(): void {
    for (const watcher of this.watchers) watcher.wake?.();
  }
}
