// Every string the app shows goes through t(). English is complete; other
// languages fall back to English per string.

const en = {
  "app.loading": "Loading…",
  "app.skip": "Skip to content",
  "nav.signOut": "Sign out",
  "nav.signedInAs": "Signed in as {name}",
  "signIn.title": "Sign in to LinkLab",
  "signIn.email": "E-mail address",
  "signIn.password": "Password",
  "signIn.submit": "Sign in",
  "signIn.busy": "Signing in…",
  "labs.title": "Your labs",
  "labs.titleAdmin": "All labs",
  "labs.empty": "You are not a member of any lab yet. Ask a facilitator for an invitation link.",
  "labs.country": "Country: {country}",
  "labs.targetGroup": "Target group: {group}",
  "labs.role": "Your role: {role}",
  "labs.updated": "Updated {date}",
  "target.families": "families with multiple challenges",
  "target.youths": "youths in vulnerable positions",
  "target.elderly": "the elderly",
  "role.service_user": "service user",
  "role.frontline_staff": "frontline staff",
  "role.manager": "manager",
  "role.policymaker": "policymaker",
  "role.facilitator": "facilitator",
  "setup.title": "Create the first administrator",
  "setup.intro": "This one-time link creates the administrator account. Administrators manage accounts and labs; they do not read lab content.",
  "setup.missing": "This setup link is incomplete. Copy the whole link printed when LinkLab started.",
  "form.displayName": "Your name or a pseudonym",
  "form.displayNameHint": "Others in the lab see this name. A pseudonym is fine.",
  "form.newPassword": "Choose a password",
  "form.newPasswordHint": "At least 10 characters. A short sentence works well.",
  "form.create": "Create account",
  "invite.title": "You are invited",
  "invite.toLab": "You are invited to join {lab} as {role}.",
  "invite.toLinkLab": "You are invited to create a LinkLab account.",
  "invite.level": "Where do you stand?",
  "invite.levelHint": "This only helps the facilitator hear everyone; it gives nobody more say.",
  "level.micro": "Micro: I use services, or meet people who do, day to day",
  "level.meso": "Meso: I lead or organise services",
  "level.macro": "Macro: I decide on policy or funding",
  "invite.accept": "Accept and join",
  "invite.signedInAs": "You will join as {name}.",
  "nav.account": "Account",
  "lab.documents": "Documents",
  "lab.noDocuments": "No documents you can see yet.",
  "lab.newDocument": "Start a document",
  "lab.template": "Kind of document",
  "lab.docTitle": "Title (optional)",
  "lab.create": "Create",
  "lab.members": "Members",
  "kind.baseline": "Baseline",
  "kind.proposal": "Innovation proposals",
  "kind.feedback": "Feedback",
  "kind.synthesis": "Syntheses",
  "kind.notes": "Notes",
  "visibility.private": "Private draft",
  "visibility.restricted": "Named people",
  "visibility.lab": "Lab",
  "visibility.partners": "Shared with partners",
  "visibility.network": "Whole network",
  "visibility.public": "Public",
  "status.draft": "Draft",
  "status.open": "Open for feedback",
  "status.prioritised": "Prioritised",
  "status.piloting": "Piloting",
  "status.evaluated": "Evaluated",
  "status.archived": "Archived",
  "conn.connecting": "Connecting…",
  "conn.online": "Online: everything is saved",
  "conn.onlineSaving": "Online: saving {n} changes…",
  "conn.reconnecting": "Reconnecting… {n} changes not sent yet",
  "conn.offline": "Offline: {n} changes not sent yet. Keep writing; they are sent when you are back online.",
  "doc.backToLab": "Back to the lab",
  "doc.readOnly": "You can read this document; your role does not write it.",
  "doc.whoIsHere": "Who is here",
  "doc.sections": "Sections",
  "doc.sectionKept": "Only for: {level}",
  "editor.toolbar": "Formatting for {section}",
  "editor.heading": "Heading",
  "editor.bold": "Bold",
  "editor.list": "List",
  "editor.link": "Link",
  "editor.preview": "Preview of {section}",
  "editor.remoteChanges": "Others changed: {sections}",
  "error.network": "LinkLab cannot be reached. Check your connection and try again.",
  "error.generic": "Something went wrong. Try again.",
} as const;

export type MessageKey = keyof typeof en;
type Dictionary = Partial<Record<MessageKey, string>>;

const dictionaries: Record<string, Dictionary> = { en };

let current: Dictionary = en;
let currentLocale = "en";

/** setLocale picks the dictionary for a BCP 47 tag, falling back to English. */
export function setLocale(tag: string): void {
  const lang = tag.toLowerCase().split("-")[0];
  current = dictionaries[lang] ?? en;
  currentLocale = dictionaries[lang] ? tag : "en";
}

/** locale is the tag used for dates and numbers. */
export function locale(): string {
  return currentLocale;
}

/** t returns the message for key with {name} placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = current[key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** formatDate formats an ISO time for the current locale. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(currentLocale, { dateStyle: "medium" }).format(d);
}
