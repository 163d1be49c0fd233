// What TLS costs: calls/s over TLS and over plain TCP at 1, 16 and 256 calls in flight, and the time to
// a ready connection (TCP connect, TLS handshake, HELLO exchange), from one run so the ratios compare
// like with like. The server (kv.KeyValue/get, a 64-byte value) runs in its own process on 127.0.0.1;
// certificates are P-256, made with openssl.
//
//   npm run bench:tls [-- --seconds 2 --rounds 3 --connections 300]
//
// Each cell is a closed loop: 300 ms warm-up, then `--seconds` measured, `--rounds` times with plain
// and TLS interleaved; the table shows medians. CPU columns are process.cpuUsage() per call of the
// client (this process) and the server; on a busy machine they vary less than calls/s, so the last
// column (TLS over plain, both processes' CPU per call) is the steadier ratio.

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type ConnectOptions, connect, type SocketChannel } from "@rpcgen/runtime";
import { KeyValueClient } from "../../generated/kv/kv.js";
import { makeTestPki } from "../../test/security/fixtures/pki.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "2" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "300" },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const IN_FLIGHT = [1, 16, 256];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("message", (m: { cpu: number }) => resolve(m.cpu));
    child.send("cpu");
  });
}

function clientCpu(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

// Keeps `inFlight` calls going for `ms`; returns the calls completed.
async function closedLoop(kv: KeyValueClient, inFlight: number, ms: number): Promise<number> {
  let calls = 0;
  const end = performance.now() + ms;
  const lane = async () => {
    while (performance.now() < end) {
      await kv.get("k");
      calls++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return calls;
}

interface Cell {
  callsPerSecond: number;
  clientUs: number;
  serverUs: number;
}

async function measure(child: ChildProcess, channel: SocketChannel, inFlight: number): Promise<Cell> {
  const kv = new KeyValueClient(channel);
  await closedLoop(kv, inFlight, 300);
  const [s0, c0, t0] = [await serverCpu(child), clientCpu(), performance.now()];
  const calls = await closedLoop(kv, inFlight, seconds * 1000);
  const [s1, c1, t1] = [await serverCpu(child), clientCpu(), performance.now()];
  return {
    callsPerSecond: (calls * 1000) / (t1 - t0),
    clientUs: (c1 - c0) / calls,
    serverUs: (s1 - s0) / calls,
  };
}

// Time from connect() to a ready connection, `count` times one after another; and server CPU per connection.
async function handshakes(child: ChildProcess, target: string, options: ConnectOptions, count: number) {
  const times: number[] = [];
  const s0 = await serverCpu(child);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const channel = connect(target, options);
    if (channel.state !== "ready") {
      await new Promise<void>((resolve, reject) => {
        const stop = channel.onStateChange(({ state, error }) => {
          if (state === "ready") resolve();
          else if (state === "backoff" || state === "idle") reject(error);
          if (state !== "connecting") stop();
        });
      });
    }
    times.push(performance.now() - started);
    await channel.close();
  }
  const s1 = await serverCpu(child);
  return { p50: median(times), p99: quantile(times, 0.99), serverUs: (s1 - s0) / count };
}

const loadAtStart = loadavg();
const pki = makeTestPki();
const child = spawn(
  process.execPath,
  [
    "--conditions=rpcgen-source",
    "--import",
    "tsx",
    fileURLToPath(new URL("./server.ts", import.meta.url)),
    join(pki.dir, "server.key"),
    join(pki.dir, "server.pem"),
  ],
  { stdio: ["ignore", "pipe", "inherit", "ipc"] },
);
try {
  let text = "";
  for await (const chunk of child.stdout!) {
    text += String(chunk);
    if (/ports \d+ \d+/.test(text)) break;
  }
  const [, plainPort, tlsPort] = /ports (\d+) (\d+)/.exec(text)!;
  const modes = {
    plain: { target: `127.0.0.1:${plainPort}`, options: {} as ConnectOptions },
    tls: { target: `127.0.0.1:${tlsPort}`, options: { tls: { ca: pki.ca.cert } } as ConnectOptions },
  };
  // Prewarm: both paths run hot before the first measured cell.
  for (const mode of ["plain", "tls"] as const) {
    const channel = connect(modes[mode].target, modes[mode].options);
    await closedLoop(new KeyValueClient(channel), 16, 1500);
    await channel.close();
  }
  const cells: Record<string, Cell[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const mode of round % 2 === 0 ? (["plain", "tls"] as const) : (["tls", "plain"] as const)) {
      const channel = connect(modes[mode].target, modes[mode].options);
      for (const inFlight of IN_FLIGHT) {
        (cells[`${mode} ${inFlight}`] ??= []).push(await measure(child, channel, inFlight));
      }
      await channel.close();
    }
  }
  const plainHandshake = await handshakes(child, modes.plain.target, modes.plain.options, connections);
  const tlsHandshake = await handshakes(child, modes.tls.target, modes.tls.options, connections);

  const row = (...cols: (string | number)[]) =>
    cols.map((c, i) => String(c).padStart(i === 0 ? 10 : 14)).join(" ");
  const cell = (key: string) => {
    const list = cells[key]!;
    return {
      callsPerSecond: median(list.map((c) => c.callsPerSecond)),
      clientUs: median(list.map((c) => c.clientUs)),
      serverUs: median(list.map((c) => c.serverUs)),
    };
  };
  const load = (at: readonly number[]) => at[0]!.toFixed(1);
  console.log(
    `TLS cost: kv.KeyValue/get (64-byte value), ${seconds} s per cell, median of ${rounds} rounds; Node ${process.version}, ` +
      `${cpus().length} x ${cpus()[0]?.model.trim()}, load average ${load(loadAtStart)} at start, ${load(loadavg())} at end`,
  );
  console.log(
    row(
      "in flight",
      "plain calls/s",
      "TLS calls/s",
      "TLS/plain",
      "plain srv µs",
      "TLS srv µs",
      "plain cli µs",
      "TLS cli µs",
      "TLS/plain CPU",
    ),
  );
  for (const inFlight of IN_FLIGHT) {
    const p = cell(`plain ${inFlight}`);
    const t = cell(`tls ${inFlight}`);
    console.log(
      row(
        inFlight,
        Math.round(p.callsPerSecond),
        Math.round(t.callsPerSecond),
        (t.callsPerSecond / p.callsPerSecond).toFixed(2),
        p.serverUs.toFixed(1),
        t.serverUs.toFixed(1),
        p.clientUs.toFixed(1),
        t.clientUs.toFixed(1),
        ((t.serverUs + t.clientUs) / (p.serverUs + p.clientUs)).toFixed(2),
      ),
    );
  }
  console.log(`\nTime to a ready connection, ${connections} connections one after another:`);
  console.log(row("", "p50 ms", "p99 ms", "server µs/conn"));
  console.log(
    row(
      "plain",
      plainHandshake.p50.toFixed(2),
      plainHandshake.p99.toFixed(2),
      plainHandshake.serverUs.toFixed(0),
    ),
  );
  console.log(
    row("TLS", tlsHandshake.p50.toFixed(2), tlsHandshake.p99.toFixed(2), tlsHandshake.serverUs.toFixed(0)),
  );
  console.log(
    row(
      "TLS/plain",
      (tlsHandshake.p50 / plainHandshake.p50).toFixed(2),
      (tlsHandshake.p99 / plainHandshake.p99).toFixed(2),
      (tlsHandshake.serverUs / plainHandshake.serverUs).toFixed(2),
    ),
  );
} finally {
  child.kill("SIGKILL");
  await once(child, "exit");
  pki.remove();
}
