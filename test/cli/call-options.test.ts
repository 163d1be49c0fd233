// The pieces of `rpcgen call` that need no server: option parsing, request sources, method lookup.

import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { callSettings, parseMetadata, parseTimeout } from "../../compiler/call/call-options.js";
import { findMethod } from "../../compiler/call/load-service.js";
import {
  BadRequestError,
  readRequestLines,
  readSingleRequest,
  requestSource,
} from "../../compiler/call/request-source.js";
import { runFrontEnd } from "../../compiler/driver.js";

describe("rpcgen call options", () => {
  it("reads --timeout as milliseconds or a duration, and refuses anything else", () => {
    assert.equal(parseTimeout("500"), 500);
    assert.equal(parseTimeout("250ms"), 250);
    assert.equal(parseTimeout("1.5s"), 1500);
    assert.equal(parseTimeout("2m"), 120_000);
    for (const bad of ["", "0", "5 h", "-1s", "1e3", "soon", "9999999999"])
      assert.match(String(parseTimeout(bad)), /^--timeout `.*`: expected/, bad);
  });

  it("reads --metadata key=value, lower-casing keys, any key an own property", () => {
    const metadata = parseMetadata(["X-Team=ops", "a=b=c", "__proto__=x", "x-team=night"]);
    assert.deepEqual(Object.entries(metadata), [
      ["x-team", "night"],
      ["a", "b=c"],
      ["__proto__", "x"],
    ]);
    assert.match(String(parseMetadata(["novalue"])), /expected key=value/);
    assert.match(String(parseMetadata(["=v"])), /expected key=value/);
  });

  it("turns TLS flags into connect's tls option and names the flag of an unreadable file", () => {
    const base = { include: [], metadata: [] };
    const wait = { connectTimeoutMs: 10_000 };
    assert.deepEqual(callSettings(base, "/"), { connect: {}, call: {}, ...wait });
    assert.deepEqual(callSettings({ ...base, tls: true }, "/"), { connect: { tls: {} }, call: {}, ...wait });
    assert.deepEqual(callSettings({ ...base, servername: "orders" }, "/"), {
      connect: { tls: { servername: "orders" } },
      call: {},
      ...wait,
    });
    assert.deepEqual(callSettings({ ...base, connectTimeout: "2s" }, "/"), {
      connect: {},
      call: {},
      connectTimeoutMs: 2000,
    });
    assert.match(
      String(callSettings({ ...base, cacert: "/nonexistent/ca.pem" }, "/")),
      /^--cacert \/nonexistent\/ca\.pem: /,
    );
    assert.match(String(callSettings({ ...base, key: "k.pem" }, "/")), /--cert and --key go together/);
  });
});

describe("rpcgen call requests", () => {
  const stdin = (text: string) => Readable.from([Buffer.from(text)]);

  it("takes the request from the argument, -d text, -d @file or -d @-, not from two places", () => {
    assert.deepEqual(requestSource(undefined, undefined, "/w"), { kind: "default" });
    assert.deepEqual(requestSource("{}", undefined, "/w"), { kind: "text", text: "{}" });
    assert.deepEqual(requestSource(undefined, "@req.json", "/w"), { kind: "file", path: "/w/req.json" });
    assert.deepEqual(requestSource(undefined, "@-", "/w"), { kind: "stdin" });
    assert.match(String(requestSource("{}", "{}", "/w")), /either as an argument or with -d/);
  });

  it("reads one JSON value (over several lines), or JSON lines skipping blank ones", async () => {
    assert.deepEqual(await readSingleRequest({ kind: "default" }, stdin("")), {});
    assert.deepEqual(await readSingleRequest({ kind: "stdin" }, stdin('{\n "a": 1\n}\n')), { a: 1 });
    const lines: unknown[] = [];
    for await (const v of readRequestLines({ kind: "stdin" }, stdin('{"a":1}\n\n  \n{"a":2}\r\n')))
      lines.push(v);
    assert.deepEqual(lines, [{ a: 1 }, { a: 2 }]);
    await assert.rejects(readSingleRequest({ kind: "text", text: "{" }, stdin("")), BadRequestError);
    await assert.rejects(async () => {
      for await (const _ of readRequestLines({ kind: "text", text: '{}\n{"a":' }, stdin(""))) {
      }
    }, /request line 2 is not JSON/);
  });
});

describe("rpcgen call method lookup", () => {
  const model = runFrontEnd({ inputs: ["idl-examples"], includeDirs: [] }).model!;

  it("finds a method by its slash or dotted path and suggests near misses", () => {
    for (const name of ["shop.orders.OrderService/getOrder", "shop.orders.OrderService.getOrder"]) {
      const found = findMethod(model, name);
      assert.ok("method" in found, name);
      assert.equal(found.method.path, "shop.orders.OrderService/getOrder");
    }
    assert.match(
      (findMethod(model, "shop.orders.orderservice/getOrder") as { message: string }).message,
      /did you mean `shop\.orders\.OrderService`/,
    );
    assert.match((findMethod(model, "getOrder") as { message: string }).message, /is not a method path/);
    assert.match((findMethod(model, "kv.KeyValue/") as { message: string }).message, /is not a method path/);
  });
});
