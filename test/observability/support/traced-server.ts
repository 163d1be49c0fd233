// A child process for the tracing tests: the Echo service with tracing on, on 127.0.0.1. Its echo calls
// the Echo service at BACKEND (if set) without passing ctx along, and fails as asked by the request.
// Sends {port} over IPC, and its finished spans when sent "spans". The middle hop installs no context
// manager (CONTEXT_MANAGER=0), so its outgoing span finds its parent through the runtime's call scope.

import { connect, Server, silentLogger } from "@rpcgen/runtime";
import { tracingClientInterceptor, tracingServerInterceptor } from "@rpcgen/runtime/opentelemetry";
import { EchoService, echoHandlers, echoMethod } from "../../runtime/fixtures/echo-service.js";
import { installSdk } from "./otel-sdk.js";

const sdk = installSdk(process.env.CONTEXT_MANAGER !== "0");
const backend = process.env.BACKEND;
const channel =
  backend === undefined ? undefined : connect(backend, { interceptors: [tracingClientInterceptor()] });
const plain = echoHandlers().handlers;
const server = new Server({ logger: silentLogger, interceptors: [tracingServerInterceptor()] }).add(
  EchoService,
  {
    ...plain,
    echo: (request, ctx) =>
      channel === undefined ? plain.echo(request, ctx) : channel.unary(echoMethod, request),
  },
);
const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
process.send!({ port });
process.on("message", () => process.send!({ spans: sdk.spans() }));
process.on("disconnect", () => process.exit(0));
