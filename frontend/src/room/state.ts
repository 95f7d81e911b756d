// The room's state on a device: the snapshot the server gave, kept current
// by the live messages that follow it. The server orders the queue and
// says how each event moved it and who has the floor, so no device orders
// anything itself; a device that missed a message asks for a new snapshot.

import type { Hand, Floor, Idea, Room, Vote } from "../api";

export interface RoomEvent {
  seq: number;
  kind: string;
  at: string;
  subject?: string;
  name?: string;
  onBehalf?: boolean;
  override?: boolean;
  idea?: Idea;
  voteId?: string;
}

/** QueueChange is how one event moved the queue: one hand in at a place,
 * one hand out, or (when the order changed) the whole new order. */
export interface QueueChange {
  insert?: number;
  hand?: Hand;
  remove?: string;
  queue?: Hand[];
}

/** RoomMessage is the live message of one room event. */
export interface RoomMessage {
  type: "room";
  workshop: string;
  seq: number;
  event: RoomEvent;
  queueChange?: QueueChange;
  floor: Floor | null;
  present: number;
  balanced: boolean;
}

/** moveQueue applies one change to the queue. */
export function moveQueue(queue: Hand[], c: QueueChange | undefined): Hand[] {
  if (!c) return queue;
  if (c.queue) return c.queue;
  if (c.remove !== undefined) return queue.filter((h) => h.account !== c.remove);
  if (c.hand && c.insert !== undefined) return [...queue.slice(0, c.insert), c.hand, ...queue.slice(c.insert)];
  return queue;
}

/** applyRoom folds a live message into the room: the same room for one
 * already seen, null when one was missed (ask for a snapshot again). */
export function applyRoom(room: Room, m: RoomMessage): Room | null {
  if (m.seq <= room.seq) return room;
  if (m.seq > room.seq + 1) return null;
  const next: Room = { ...room, seq: m.seq, queue: moveQueue(room.queue, m.queueChange), floor: m.floor, present: m.present, balanced: m.balanced };
  const idea = m.event.idea;
  if (idea) {
    const i = room.ideas.findIndex((x) => x.id === idea.id);
    if (i < 0) next.ideas = [...room.ideas, idea];
    else {
      const old = room.ideas[i];
      // Hidden, the text is left out for all but its author, who has it.
      const merged = { ...idea, mine: old.mine, text: idea.text || (old.mine ? old.text : "") };
      next.ideas = room.ideas.map((x, j) => (j === i ? merged : x));
    }
  }
  return next;
}

/** addOwnIdea puts the idea its author just posted on their wall, marked
 * as theirs (the live message does not say whose it is). */
export function addOwnIdea(room: Room, idea: Idea): Room {
  const mine = { ...idea, mine: true };
  const i = room.ideas.findIndex((x) => x.id === idea.id);
  return { ...room, ideas: i < 0 ? [...room.ideas, mine] : room.ideas.map((x, j) => (j === i ? { ...x, mine: true, text: x.text || idea.text } : x)) };
}

/** applyVote keeps a vote's newest state, with what this device knows of
 * its own ballot. */
export function applyVote(votes: Vote[], v: Vote): Vote[] {
  const i = votes.findIndex((x) => x.id === v.id);
  if (i < 0) return [...votes, v];
  const old = votes[i];
  // A closed vote never reopens: an older "open" message changes nothing.
  if (old.status === "closed" && v.status === "open") return votes;
  return votes.map((x, j) => (j === i ? { ...v, voted: v.voted ?? old.voted } : x));
}

/** themes groups the ideas by theme, in the order themes first appear,
 * with ungrouped ideas last. */
export function themes(ideas: Idea[]): { theme: string; ideas: Idea[] }[] {
  const out: { theme: string; ideas: Idea[] }[] = [];
  for (const idea of ideas) {
    let g = out.find((x) => x.theme === idea.theme);
    if (!g) out.push((g = { theme: idea.theme, ideas: [] }));
    g.ideas.push(idea);
  }
  return out.sort((a, b) => (a.theme === "" ? 1 : 0) - (b.theme === "" ? 1 : 0));
}

/** dotsLeft is what a voter may still spend. */
export function dotsLeft(budget: number, dots: number[]): number {
  return budget - dots.reduce((a, b) => a + Math.max(0, b), 0);
}
