// useLiveWorkshop keeps one workshop current on this device: its phase and
// timer, its room and its votes, from one follow on the tab's real-time
// connection. On every (re)connection it follows again and reads the room
// and the votes anew, so nothing missed while away stays missed.

import { useEffect, useRef, useState } from "preact/hooks";
import type { Room, Vote, Workshop } from "../api";
import { messageOf, type App } from "../app";
import type { Message } from "../collab/connection";
import { applyRoom, applyVote, type RoomMessage } from "./state";

export interface LiveWorkshop {
  w: Workshop | null;
  /** at is when w arrived, on this device's clock. */
  at: number;
  room: Room | null;
  votes: Vote[];
  error: string;
  setRoom(f: (r: Room) => Room): void;
  setVotes(f: (v: Vote[]) => Vote[]): void;
  takeWorkshop(w: Workshop): void;
  /** changes counts room events, for views that refresh on them. */
  changes: number;
}

export function useLiveWorkshop(app: App, id: string): LiveWorkshop {
  const [w, setW] = useState<{ w: Workshop; at: number } | null>(null);
  const [room, setRoomState] = useState<Room | null>(null);
  const [votes, setVotesState] = useState<Vote[]>([]);
  const [error, setError] = useState("");
  const [changes, setChanges] = useState(0);
  const roomRef = useRef<Room | null>(null);
  const takeWorkshop = (next: Workshop) => setW((old) => (old && old.w.revision > next.revision ? old : { w: next, at: Date.now() }));
  const setRoom = (f: (r: Room) => Room) =>
    setRoomState((r) => {
      const next = r ? f(r) : r;
      roomRef.current = next;
      return next;
    });
  const loadRoom = () =>
    app.api.room(id).then(
      (r) => {
        // Keep whichever is newer: a live message may have come first.
        setRoomState((old) => {
          const next = old && old.seq > r.seq ? old : r;
          roomRef.current = next;
          return next;
        });
      },
      (e) => setError(messageOf(e)),
    );
  const loadVotes = () =>
    app.api.votes(id).then(
      (v) => setVotesState(v.items),
      (e) => setError(messageOf(e)),
    );
  useEffect(() => {
    app.api.workshop(id).then(takeWorkshop, (e) => setError(messageOf(e)));
    const conn = app.realtime();
    const detach = conn.attach(`workshop:${id}`, {
      connected() {
        conn.send({ type: "follow", id: conn.id(), workshop: id });
        loadRoom();
        loadVotes();
      },
      message(m: Message) {
        if (m.type === "workshop") {
          const next = m.workshop as Workshop | undefined;
          if (next && next.id === id) takeWorkshop(next);
        } else if (m.type === "room" && m.workshop === id) {
          const have = roomRef.current;
          if (!have) return; // the snapshot on its way has it
          const next = applyRoom(have, m as unknown as RoomMessage);
          if (next) {
            roomRef.current = next;
            setRoomState(next);
          } else loadRoom();
          setChanges((n) => n + 1);
        } else if (m.type === "vote" && m.workshop === id) {
          setVotesState((v) => applyVote(v, m.vote as Vote));
        }
      },
    });
    return () => {
      detach();
      conn.send({ type: "unfollow", id: conn.id(), workshop: id });
    };
  }, [id]);
  return {
    w: w?.w ?? null,
    at: w?.at ?? 0,
    room,
    votes,
    error,
    setRoom,
    setVotes: (f) => setVotesState(f),
    takeWorkshop,
    changes,
  };
}
