// What TLS session resumption (`tls.resumeSessions`) saves when a channel connects again: a server that
// closes idle connections after 20 ms, and one channel per mode that waits for each close and calls
// again, 100 times after a warm-up round. Prints CPU (client and server, one process) and wall time per
// reconnect and call, with and without resumption. Certificates are the test PKI's (P-256, openssl).
//
//   npm run build && node --import tsx bench/tls/resume.ts

import { connect, Server } from "@rpcgen/runtime";
import { EchoService, echoHandlers, echoMethod } from "../../test/runtime/fixtures/echo-service.js";
import { makeTestPki } from "../../test/security/fixtures/pki.js";

const pki = makeTestPki();
const server = new Server({ idleTimeoutMs: 20 }).add(EchoService, echoHandlers().handlers);
const { port } = await server.listen({ tls: { key: pki.server.key, cert: pki.server.cert } });
async function cycles(resume: boolean, n: number): Promise<[number, number, number]> {
  const channel = connect(`127.0.0.1:${port}`, { tls: { ca: pki.ca.cert, resumeSessions: resume } });
  await channel.unary(echoMethod, { text: "warm" });
  let busy = 0,
    wall = 0;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve) => {
      const stop = channel.onStateChange((c) => {
        if (c.previous === "ready") {
          stop();
          resolve();
        }
      });
    });
    const cpu = process.cpuUsage();
    const t = performance.now();
    await channel.unary(echoMethod, { text: "x" });
    const d = process.cpuUsage(cpu);
    busy += d.user + d.system;
    const w = performance.now() - t;
    wall += w;
    times.push(w);
  }
  await channel.close();
  times.sort((a, b) => a - b);
  return [busy / n / 1000, wall / n, times[n >> 1]!];
}
for (let r = 0; r < 2; r++)
  for (const resume of [false, true]) {
    const [cpu, wall, p50] = await cycles(resume, 100);
    if (r === 1)
      console.log(
        `resume=${resume}: ${cpu.toFixed(2)} ms CPU (client+server) per reconnect+call, mean ${wall.toFixed(2)} ms, p50 ${p50.toFixed(2)} ms`,
      );
  }
await server.close({ graceMs: 100 });
pki.remove();
