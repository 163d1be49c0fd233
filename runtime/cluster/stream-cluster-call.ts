// Streaming calls over a cluster. Each goes to one endpoint the balancer picks (waiting for one within its
// deadline if none is ready). A server-streaming call the server never processed (refused, or beyond a
// GOAWAY) is re-sent on another endpoint as long as no message has arrived; calls with a request stream
// are not re-sent by the cluster layer (their stream cannot be replayed), and none are retried after
// processing: a stream may have had effects.

import type { CallOptions } from "../call-context.js";
import { inheritCallOptions } from "../call-scope.js";
import { resolveDeadline } from "../deadline.js";
import type { BidiMethod, ClientStreamMethod, MethodDescriptor, ServerStreamMethod } from "../descriptors.js";
import { attemptCode } from "../resilience/client-policies.js";
import { RpcError, Status, type StatusCode } from "../status.js";
import type { CallHost, Waiter } from "./call-host.js";
import type { Endpoint } from "./endpoint.js";
import { AT_LIMIT } from "./endpoint-set.js";
import { MAX_RESENDS } from "./retry-policy.js";

// The endpoint for a stream: as unary attempts, only one under its adaptive limit (a stream takes no
// slot: its lifetime is no round trip, and a long-lived one would hold the slot for good).
function pickFor(
  host: CallHost,
  hash: number,
  avoid: readonly Endpoint[] | undefined,
): Endpoint | undefined | typeof AT_LIMIT {
  return host.limited ? host.set.pickWithRoom(hash, avoid) : host.set.pick(hash, avoid);
}

/**
 * Resolves with an endpoint for `method`, waiting in the host's waiting room within the deadline (while
 * none is available, or every one is at its adaptive limit).
 */
function acquire(
  host: CallHost,
  method: MethodDescriptor,
  hash: number,
  avoid: readonly Endpoint[] | undefined,
  deadline: number | undefined,
  signal: AbortSignal | undefined,
): Promise<Endpoint> {
  const first = pickFor(host, hash, avoid);
  if (first !== undefined && first !== AT_LIMIT) return Promise.resolve(first);
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    let atLimit = false;
    const park = (picked: typeof AT_LIMIT | undefined): void => {
      atLimit = picked === AT_LIMIT;
      if (atLimit) host.waitForRoom(waiter);
      else host.wait(waiter);
    };
    const waiter: Waiter = {
      method,
      deadline,
      dispatch() {
        const endpoint = pickFor(host, hash, avoid);
        if (endpoint !== undefined && endpoint !== AT_LIMIT) {
          cleanup();
          resolve(endpoint);
        } else park(endpoint);
      },
      fail(error) {
        cleanup();
        reject(error);
      },
    };
    const onAbort = (): void => {
      host.unwait(waiter);
      waiter.fail(
        new RpcError(Status.CANCELLED, `call to ${method.path} cancelled`, { cause: signal?.reason }),
      );
    };
    if (deadline !== undefined) {
      timer = setTimeout(
        () => {
          host.unwait(waiter);
          waiter.fail(atLimit ? host.limitExpired(method) : host.noEndpoint(method, true));
        },
        Math.max(0, deadline - Date.now()),
      );
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    park(first);
  });
}

// How a stream's failure counts for its endpoint (outlier ejection).
function outcome(error: unknown): StatusCode {
  return error instanceof RpcError ? attemptCode(error) : Status.UNKNOWN;
}

function deadlineOf(method: MethodDescriptor, options: CallOptions | undefined): number | undefined {
  return options === undefined && method.timeoutMs === undefined
    ? undefined
    : resolveDeadline(options, method.timeoutMs);
}

/** Options of a later attempt: the call's original deadline. */
function laterAttempt(options: CallOptions | undefined, deadline: number | undefined): CallOptions {
  return { ...options, timeoutMs: undefined, deadline };
}

/** A server-streaming call: re-sent elsewhere while unprocessed and before its first message. */
export async function* clusterServerStream<Req, Res>(
  host: CallHost,
  method: ServerStreamMethod<Req, Res>,
  request: Req,
  options: CallOptions | undefined,
  hash: number,
): AsyncGenerator<Res> {
  options = inheritCallOptions(options, method);
  const deadline = deadlineOf(method, options);
  const tried: Endpoint[] = [];
  for (let resends = 0; ; resends++) {
    const endpoint = await acquire(host, method, hash, tried, deadline, options?.signal);
    tried.push(endpoint);
    endpoint.begin();
    const startedAt = performance.now();
    let received = false;
    let code: StatusCode = Status.OK;
    try {
      const attemptOptions = resends === 0 ? options : laterAttempt(options, deadline);
      for await (const message of endpoint.channel.serverStream(method, request, attemptOptions)) {
        received = true;
        yield message;
      }
      return;
    } catch (error) {
      code = outcome(error);
      const retry = error instanceof RpcError && error.unprocessed && !received && resends < MAX_RESENDS;
      if (!retry || host.closed) throw error;
    } finally {
      endpoint.end(startedAt, code);
    }
  }
}

/** A client-streaming call on one endpoint. */
export async function clusterClientStream<Req, Res>(
  host: CallHost,
  method: ClientStreamMethod<Req, Res>,
  requests: AsyncIterable<Req>,
  options: CallOptions | undefined,
  hash: number,
): Promise<Res> {
  options = inheritCallOptions(options, method);
  const endpoint = await acquire(host, method, hash, undefined, deadlineOf(method, options), options?.signal);
  endpoint.begin();
  const startedAt = performance.now();
  let code: StatusCode = Status.OK;
  try {
    return await endpoint.channel.clientStream(method, requests, options);
  } catch (error) {
    code = outcome(error);
    throw error;
  } finally {
    endpoint.end(startedAt, code);
  }
}

/** A bidi call on one endpoint. */
export async function* clusterBidi<Req, Res>(
  host: CallHost,
  method: BidiMethod<Req, Res>,
  requests: AsyncIterable<Req>,
  options: CallOptions | undefined,
  hash: number,
): AsyncGenerator<Res> {
  options = inheritCallOptions(options, method);
  const endpoint = await acquire(host, method, hash, undefined, deadlineOf(method, options), options?.signal);
  endpoint.begin();
  const startedAt = performance.now();
  let code: StatusCode = Status.OK;
  try {
    yield* endpoint.channel.bidi(method, requests, options);
  } catch (error) {
    code = outcome(error);
    throw error;
  } finally {
    endpoint.end(startedAt, code);
  }
}
