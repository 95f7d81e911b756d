// Prints test vectors from the real @codemirror/state, one JSON object per
// line: a text, two change sets made against it, each mapped over the other
// with both tie-breaking flags, and the texts that result. The Go tests
// compare their own change sets with these, operation by operation.
//
//   node vectors.mjs SEED COUNT
import { ChangeSet, Text } from "@codemirror/state";
import { randomChanges, randomText, rng } from "./random.mjs";

const seed = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 1000);
const rand = rng(seed);

// Text.of keeps "\r" inside lines: the server's text is lines joined by "\n".
const textOf = (s) => Text.of(s.split("\n"));

for (let i = 0; i < count; i++) {
  const doc = randomText(rand, 12);
  const len = doc.length;
  const a = ChangeSet.of(randomChanges(rand, doc), len, "\n");
  const b = ChangeSet.of(randomChanges(rand, doc), len, "\n");
  const aOverB = a.map(b);
  const bOverA = b.map(a, true);
  const viaA = bOverA.apply(a.apply(textOf(doc))).sliceString(0);
  const viaB = aOverB.apply(b.apply(textOf(doc))).sliceString(0);
  if (viaA !== viaB) throw new Error(`the library did not converge on vector ${i}`);
  const out = {
    doc,
    a: a.toJSON(),
    b: b.toJSON(),
    aMapB: aOverB.toJSON(),
    aMapBBefore: a.map(b, true).toJSON(),
    bMapABefore: bOverA.toJSON(),
    afterA: a.apply(textOf(doc)).sliceString(0),
    // [position, mapped with assoc -1, mapped with assoc 1] for a few positions.
    mapPos: [0, Math.floor(len / 2), len, Math.floor(rand() * (len + 1))].map((p) => [p, a.mapPos(p, -1), a.mapPos(p, 1)]),
    converged: viaA,
  };
  process.stdout.write(JSON.stringify(out) + "\n");
}
