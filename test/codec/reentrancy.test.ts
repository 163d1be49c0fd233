import assert from "node:assert/strict";
import {
  EMPTY_BYTES,
  MAX_DECODE_DEPTH,
  type MessageCodec,
  messageCodec,
  nextTag,
  readBytes,
  skipField,
  writeBytes,
  writeBytesField,
} from "@rpcgen/runtime";

// A decode or encode that starts while another is under way (a custom codec's `read` decoding an
// embedded message, a getter encoding one) must not disturb the outer one: the codec's module-level
// state (the shared writer, the bytes pool, scratch registers) and the decode depth are checked here.

interface Node {
  child?: Node;
  blob: Uint8Array;
  /** Travels as bytes holding a whole encoded Node: encoded by `write`, decoded by `read`. */
  inner?: Node;
}

// Field 3 (inner) is written and read before field 1 (child), so the nested decode happens before the
// outer one goes deeper.
const NodeCodec: MessageCodec<Node> = messageCodec<Node>(
  "test.Node",
  (m, w) => {
    if (m.inner !== undefined) writeBytesField(w, 26, NodeCodec.encode(m.inner));
    writeBytes(w, 18, m.blob);
    if (m.child !== undefined) NodeCodec.writeField(w, 10, m.child);
  },
  (r, end) => {
    const m: Node = { blob: EMPTY_BYTES };
    for (let t = nextTag(r, end); t !== 0; t = nextTag(r, end)) {
      switch (t) {
        case 10:
          m.child = NodeCodec.readField(r, end);
          break;
        case 18:
          m.blob = readBytes(r, end);
          break;
        case 26:
          m.inner = NodeCodec.decode(readBytes(r, end));
          break;
        default:
          skipField(r, t, end);
      }
    }
    return m;
  },
  () => ({}),
  () => ({ blob: EMPTY_BYTES }),
);

function blob(seed: number, n = 12): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (seed * 7 + i) & 255);
}

/** A chain of `length` nodes (nesting depth `length - 1`); node `at` carries `inner`. */
function chain(length: number, at = -1, inner?: Node): Node {
  let node: Node | undefined;
  for (let i = length - 1; i >= 0; i--) {
    const next: Node = { blob: blob(i) };
    if (node !== undefined) next.child = node;
    if (i === at && inner !== undefined) next.inner = inner;
    node = next;
  }
  return node!;
}

describe("codecs: decodes and encodes nested in one another", () => {
  it("count the depth of each decode separately", () => {
    const inner = chain(60);
    // The outer decode is at depth 50 when the inner one starts; 102 nodes are 101 levels deep.
    const tooDeep = NodeCodec.encode(chain(MAX_DECODE_DEPTH + 2, 50, inner));
    assert.throws(() => NodeCodec.decode(tooDeep), /nested deeper than 100/);
    // 101 nodes (100 levels) are fine, with an inner decode of the same depth part-way down.
    const deepest = chain(MAX_DECODE_DEPTH + 1, 50, chain(MAX_DECODE_DEPTH + 1));
    assert.deepStrictEqual(NodeCodec.decode(NodeCodec.encode(deepest)), deepest);
  });

  it("encode a value whose encoding starts other encodes, at every level", () => {
    const value = chain(8, 0, chain(5, 2, chain(3, 1, chain(2))));
    let node: Node | undefined = value;
    for (let i = 0; node !== undefined; i++, node = node.child) node.inner ??= chain(2 + (i % 3));
    const bytes = NodeCodec.encode(value);
    assert.deepStrictEqual(NodeCodec.decode(bytes), value);
    // The same bytes as when every inner message is encoded up front (no encode nested in another).
    const flat = (n: Node): Uint8Array =>
      NodeCodec.encode({
        blob: n.blob,
        ...(n.child === undefined ? {} : { child: n.child }),
        ...(n.inner === undefined ? {} : { inner: n.inner }),
      });
    assert.deepEqual(bytes, flat(value));
  });

  it("a getter that encodes during an encode gets its own buffer", () => {
    const inner = chain(3);
    let innerBytes: Uint8Array | undefined;
    const value: Node = {
      get blob(): Uint8Array {
        innerBytes = NodeCodec.encode(inner);
        return blob(1, 40);
      },
      child: chain(2),
    };
    const bytes = NodeCodec.encode(value);
    const decoded = NodeCodec.decode(bytes);
    assert.deepEqual(decoded.blob, blob(1, 40));
    assert.deepStrictEqual(decoded.child, chain(2));
    assert.deepStrictEqual(NodeCodec.decode(innerBytes!), inner);
    // Neither result is a view of the other's memory.
    const before = Uint8Array.from(innerBytes!);
    bytes.fill(0xaa);
    assert.deepEqual(innerBytes, before);
  });

  it("keep the bytes values of the outer decode intact and unaliased by the inner one", () => {
    const value = chain(4, 1, chain(3, 1, chain(2)));
    const decoded = NodeCodec.decode(NodeCodec.encode(value));
    assert.deepStrictEqual(decoded, value);
    const blobs: Uint8Array[] = [];
    const collect = (n: Node | undefined): void => {
      if (n === undefined) return;
      blobs.push(n.blob);
      collect(n.inner);
      collect(n.child);
    };
    collect(decoded);
    assert.equal(blobs.length, 4 + 3 + 2);
    for (const [i, b] of blobs.entries()) b.fill(i);
    for (const [i, b] of blobs.entries()) {
      assert.ok(
        b.every((x) => x === i),
        `blob ${i} was overwritten through another`,
      );
    }
  });
});
