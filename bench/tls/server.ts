// The server side of the TLS benchmark, in its own process: kv.KeyValue (the generated code) on two
// ports of one process, plain and TLS, with the same handlers. Prints `ports <plain> <tls>`; answers the
// IPC message "cpu" with its CPU time so far (µs).

import { readFileSync } from "node:fs";
import { Server, silentLogger } from "@rpcgen/runtime";
import { type Entry, KeyValue, type KeyValueHandlers } from "../../generated/kv/kv.js";

const [keyFile, certFile] = process.argv.slice(2);
const entry: Entry = { key: "k", value: new Uint8Array(64).fill(7), version: 1n };
const handlers: KeyValueHandlers = {
  get: () => entry,
  put: () => entry,
  delete: () => true,
  scan: () => new Map(),
  async *watch() {},
};
const plain = new Server({ logger: silentLogger }).add(KeyValue, handlers);
const secure = new Server({ logger: silentLogger }).add(KeyValue, handlers);
const a = await plain.listen();
const b = await secure.listen({ tls: { key: readFileSync(keyFile!), cert: readFileSync(certFile!) } });
process.on("message", (message) => {
  if (message !== "cpu") return;
  const { user, system } = process.cpuUsage();
  process.send?.({ cpu: user + system });
});
process.on("disconnect", () => process.exit(0));
process.stdout.write(`ports ${a.port} ${b.port}\n`);
