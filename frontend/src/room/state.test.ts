import { describe, expect, it } from "vitest";
import type { Idea, Room, Vote } from "../api";
import { addOwnIdea, applyRoom, applyVote, dotsLeft, moveQueue, themes, type RoomMessage } from "./state";

const room = (seq: number, ideas: Idea[] = []): Room => ({
  seq,
  present: 1,
  queue: [],
  floor: null,
  ideas,
  balanced: false,
  me: { account: "a", present: true, runs: false, votes: true, name: "A", level: "micro", joinCode: "ABC234" },
});
const idea = (id: string, extra: Partial<Idea> = {}): Idea => ({ id, text: id, named: false, level: "", theme: "", at: "", ...extra });
const hand = (account: string) => ({ account, name: account.toUpperCase(), level: "meso", at: "" });
const msg = (seq: number, extra: Partial<RoomMessage> = {}): RoomMessage => ({
  type: "room",
  workshop: "w",
  seq,
  event: { seq, kind: "hand.raise", at: "" },
  queueChange: { insert: 0, hand: hand("b") },
  floor: null,
  present: 2,
  balanced: false,
  ...extra,
});

describe("the room on a device", () => {
  it("takes the next message, ignores one seen, and asks again after a gap", () => {
    const r = applyRoom(room(4), msg(5))!;
    expect(r.seq).toBe(5);
    expect(r.queue.map((h) => h.name)).toEqual(["B"]);
    expect(applyRoom(r, msg(5, { queueChange: { queue: [] } }))).toBe(r);
    expect(applyRoom(r, msg(7))).toBeNull();
  });

  it("moves the queue as the server says: a hand in at its place, a hand out, or a new order", () => {
    let q = moveQueue([], { insert: 0, hand: hand("a") });
    q = moveQueue(q, { insert: 1, hand: hand("c") });
    q = moveQueue(q, { insert: 1, hand: hand("b") });
    expect(q.map((h) => h.account)).toEqual(["a", "b", "c"]);
    expect(moveQueue(q, undefined)).toBe(q);
    expect(moveQueue(q, { remove: "b" }).map((h) => h.account)).toEqual(["a", "c"]);
    expect(moveQueue(q, { queue: [hand("c"), hand("a")] }).map((h) => h.account)).toEqual(["c", "a"]);
    // A message with no change to the queue leaves it as it was.
    const r = applyRoom({ ...room(1), queue: q }, msg(2, { queueChange: undefined }))!;
    expect(r.queue).toBe(q);
  });

  it("keeps a hidden idea's text for its author only", () => {
    const mine = addOwnIdea(room(1), idea("i1", { text: "Mentors" }));
    const other = applyRoom(room(1), msg(2, { event: { seq: 2, kind: "idea.post", at: "", idea: idea("i1", { text: "Mentors" }) } }))!;
    const hide = msg(2, { event: { seq: 2, kind: "idea.hide", at: "", idea: idea("i1", { text: "", hidden: "Names a family" }) } });
    expect(applyRoom(mine, hide)!.ideas[0]).toMatchObject({ text: "Mentors", hidden: "Names a family", mine: true });
    expect(applyRoom({ ...other, seq: 1 }, hide)!.ideas[0]).toMatchObject({ text: "", hidden: "Names a family" });
  });

  it("never reopens a closed vote and keeps what it knows of its own ballot", () => {
    const open: Vote = { id: "v", question: "?", method: "agree", options: [], dots: 0, anonymous: true, status: "open", voters: 1, openedAt: "", closedAt: null, results: null, voted: true };
    const closed = applyVote([open], { ...open, status: "closed", voted: undefined });
    expect(closed[0]).toMatchObject({ status: "closed", voted: true });
    expect(applyVote(closed, open)).toBe(closed);
  });

  it("groups ideas by theme with the ungrouped last", () => {
    const g = themes([idea("a"), idea("b", { theme: "Staff" }), idea("c", { theme: "Trust" }), idea("d", { theme: "Staff" })]);
    expect(g.map((x) => [x.theme, x.ideas.map((i) => i.id).join("")])).toEqual([
      ["Staff", "bd"],
      ["Trust", "c"],
      ["", "a"],
    ]);
  });

  it("counts the dots left", () => {
    expect(dotsLeft(5, [2, 1, 0])).toBe(2);
    expect(dotsLeft(3, [4])).toBe(-1);
  });
});
