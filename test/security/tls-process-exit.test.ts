// An idle TLS connection does not keep a client process alive (as with plain TCP): a script that makes
// its calls over TLS and forgets `channel.close()` still exits.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Server } from "@rpcgen/runtime";
import { EchoService, echoHandlers } from "../runtime/fixtures/echo-service.js";
import { makeTestPki } from "./fixtures/pki.js";
import { recordingLogger } from "./fixtures/recording-logger.js";

describe("security: a TLS client that never closes its channel", function () {
  this.timeout(30_000);

  it("exits by itself after its calls", async () => {
    const pki = makeTestPki();
    const server = new Server({ logger: recordingLogger() }).add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen({ tls: { key: pki.server.key, cert: pki.server.cert } });
    const script = fileURLToPath(new URL("./fixtures/tls-forgetful-client.ts", import.meta.url));
    const child = spawn(
      process.execPath,
      ["--conditions=rpcgen-source", "--import", "tsx", script, String(port), join(pki.dir, "ca.pem")],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      let text = "";
      child.stdout.on("data", (chunk) => (text += String(chunk)));
      const [code] = (await once(child, "exit")) as [number | null];
      assert.equal(text, "over tls 3\n");
      assert.equal(code, 0);
    } finally {
      child.kill("SIGKILL");
      await server.close({ graceMs: 0 });
      pki.remove();
    }
  });
});
