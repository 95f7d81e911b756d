// A small history router: the server answers every app path with the app,
// so these paths work as deep links.

export type Route =
  | { name: "labs" }
  | { name: "lab"; lab: string }
  | { name: "proposals"; lab: string }
  | { name: "compare" }
  | { name: "syntheses" }
  | { name: "themes" }
  | { name: "search" }
  | { name: "admin" }
  | { name: "profile" }
  | { name: "document"; doc: string }
  | { name: "workshop"; workshop: string }
  | { name: "projector"; workshop: string }
  | { name: "join"; code: string }
  | { name: "signIn" }
  | { name: "setup" }
  | { name: "invite" }
  | { name: "notFound" };

const id = /^[0-9a-z]{26}$/;

/** match maps a path to a route. */
export function match(path: string): Route {
  const p = path.replace(/\/+$/, "") || "/";
  switch (p) {
    case "/":
    case "/labs":
      return { name: "labs" };
    case "/sign-in":
      return { name: "signIn" };
    case "/setup":
      return { name: "setup" };
    case "/invite":
      return { name: "invite" };
    case "/admin":
      return { name: "admin" };
    case "/compare":
      return { name: "compare" };
    case "/syntheses":
      return { name: "syntheses" };
    case "/themes":
      return { name: "themes" };
    case "/search":
      return { name: "search" };
    case "/settings":
      return { name: "profile" };
    case "/join":
      return { name: "join", code: "" };
  }
  const [, first, second, ...rest] = p.split("/");
  if (first === "join" && second && /^[A-Za-z0-9]{1,12}$/.test(second) && rest.length === 0) return { name: "join", code: second };
  if (first === "workshops" && second && id.test(second) && rest.length === 1 && rest[0] === "projector") {
    return { name: "projector", workshop: second };
  }
  if (first === "labs" && second && id.test(second) && rest.length === 1 && rest[0] === "proposals") {
    return { name: "proposals", lab: second };
  }
  if (rest.length === 0 && second && id.test(second)) {
    if (first === "labs") return { name: "lab", lab: second };
    if (first === "documents") return { name: "document", doc: second };
    if (first === "workshops") return { name: "workshop", workshop: second };
  }
  return { name: "notFound" };
}

/** tokenFromHash reads a link token from the URL fragment, which the
 * browser never sends to the server. */
export function tokenFromHash(hash: string): string {
  const token = hash.replace(/^#/, "");
  return /^[A-Za-z0-9_-]{43}$/.test(token) ? token : "";
}

/** nextPath is where to go after signing in: the path the person asked for
 * (a join link scanned before signing in), if it is one of ours. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get("next") ?? "";
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") && match(next).name !== "notFound" ? next : "/labs";
}
