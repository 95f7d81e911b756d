import { useEffect, useRef, useState } from "preact/hooks";
import { roles, type Invitation, type Member } from "../api";
import { messageOf, type App } from "../app";
import { formatDate, t, type MessageKey } from "../i18n";
import { announce, ErrorBox } from "./forms";

const roleName = (role: string) => t(`role.${role}` as MessageKey);

/** MembersPanel lists a lab's members. Facilitators and administrators
 * also invite people from it; administrators change roles and remove
 * members (the policy gives those to them alone). */
export function MembersPanel({ app, lab, members, setMembers, canInvite, canManage }: {
  app: App;
  lab: string;
  members: Member[];
  setMembers: (update: (old: Member[] | null) => Member[] | null) => void;
  canInvite: boolean;
  canManage: boolean;
}) {
  const [error, setError] = useState("");
  const [removing, setRemoving] = useState<Member | null>(null);
  // pending holds roles chosen in a member's list but not saved yet.
  const [pending, setPending] = useState<Record<string, string>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), [removing]);

  async function assign(m: Member, role: string) {
    setError("");
    try {
      const u = await app.api.assignRole(lab, m.accountId, role);
      setMembers((old) => (old ?? []).map((x) => (x.accountId === u.accountId ? u : x)));
      setPending((p) => {
        const { [u.accountId]: _, ...rest } = p;
        return rest;
      });
      document.getElementById(`role-${u.accountId}`)?.focus();
      announce(t("members.roleSaved", { name: u.displayName, role: roleName(u.role) }));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  async function remove(m: Member) {
    setError("");
    try {
      await app.api.removeMember(lab, m.accountId);
      setMembers((old) => (old ?? []).filter((x) => x.accountId !== m.accountId));
      setRemoving(null);
      announce(t("members.removed", { name: m.displayName }));
      heading.current?.focus();
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title" ref={heading} tabIndex={-1}>
        {t("lab.members")}
      </h2>
      <ErrorBox message={error} />
      <ul class="members">
        {members.map((m) => (
          <li key={m.accountId}>
            <span class="member-name">{m.displayName}</span>{" "}
            {canManage ? (
              <span class="member-actions">
                <label class="visually-hidden" for={`role-${m.accountId}`}>
                  {t("members.roleOf", { name: m.displayName })}
                </label>
                <select
                  id={`role-${m.accountId}`}
                  value={pending[m.accountId] ?? m.role}
                  onChange={(e) => {
                    const role = e.currentTarget.value;
                    setPending((p) => ({ ...p, [m.accountId]: role }));
                  }}
                >
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {roleName(r)}
                    </option>
                  ))}
                </select>
                {/* A role changes what a person may do: it is saved by a
                    button, never by moving through the list with arrow keys. */}
                {(pending[m.accountId] ?? m.role) !== m.role && (
                  <button
                    type="button"
                    class="small"
                    aria-label={t("members.saveRoleOf", { name: m.displayName })}
                    onClick={() => assign(m, pending[m.accountId])}
                  >
                    {t("members.saveRole")}
                  </button>
                )}
                {removing?.accountId === m.accountId ? (
                  <span class="confirm" role="group" aria-label={t("members.confirmRemove", { name: m.displayName })}>
                    <span>{t("members.confirmRemove", { name: m.displayName })}</span>
                    <button type="button" class="danger small" ref={confirm} onClick={() => remove(m)}>
                      {t("members.confirm")}
                    </button>
                    <button type="button" class="secondary small" onClick={() => setRemoving(null)}>
                      {t("members.cancel")}
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    class="secondary small"
                    aria-label={t("members.removeNamed", { name: m.displayName })}
                    onClick={() => setRemoving(m)}
                  >
                    {t("members.remove")}
                  </button>
                )}
              </span>
            ) : (
              <span class="tag">{roleName(m.role)}</span>
            )}
          </li>
        ))}
      </ul>
      {canInvite && <Invitations app={app} lab={lab} />}
    </section>
  );
}

/** validFor is how long a new link may work, in days (the server allows 7 at most). */
const validFor = [7, 3, 1];

/** Invitations creates single-use invitation links and lists the lab's
 * invitations with what became of them. */
function Invitations({ app, lab }: { app: App; lab: string }) {
  const [items, setItems] = useState<Invitation[] | null>(null);
  const [error, setError] = useState("");
  const [created, setCreated] = useState<Invitation | null>(null);
  const [copied, setCopied] = useState(false);
  const link = useRef<HTMLInputElement>(null);
  useEffect(() => {
    app.api.invitations(lab).then((p) => setItems(p.items), (e) => setError(messageOf(e)));
  }, [lab]);
  useEffect(() => {
    link.current?.focus();
    link.current?.select();
  }, [created]);

  async function create(ev: Event) {
    ev.preventDefault();
    setError("");
    setCopied(false);
    const form = ev.currentTarget as HTMLFormElement;
    const d = new FormData(form);
    const email = String(d.get("email") ?? "").trim();
    try {
      const inv = await app.api.invite(lab, {
        role: String(d.get("role")),
        email: email || undefined,
        expiresInDays: Number(d.get("days")),
      });
      setCreated(inv);
      setItems((old) => [...(old ?? []), inv]);
      form.reset();
      announce(t("members.created"));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  async function copy() {
    if (!created?.link) return;
    try {
      await navigator.clipboard.writeText(created.link);
      setCopied(true);
      announce(t("members.copied"));
    } catch {
      // Without clipboard access (an http address, a refusing browser) the
      // link stays selected for the person to copy themselves.
      link.current?.select();
      announce(t("members.copyYourself"));
    }
  }
  async function revoke(inv: Invitation) {
    setError("");
    try {
      await app.api.revokeInvitation(lab, inv.id);
      setItems((old) => (old ?? []).filter((x) => x.id !== inv.id));
      if (created?.id === inv.id) setCreated(null);
      announce(t("members.revoked"));
      document.getElementById("invitations-title")?.focus();
    } catch (e) {
      setError(messageOf(e));
    }
  }
  const now = new Date().toISOString();
  const newest = [...(items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <form class="card inline" onSubmit={create} aria-labelledby="invite-title">
        <h3 id="invite-title">{t("members.invite")}</h3>
        <ErrorBox message={error} />
        <label for="invite-role">{t("members.role")}</label>
        <select id="invite-role" name="role">
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleName(r)}
            </option>
          ))}
        </select>
        <label for="invite-email">
          {t("members.email")}
          <span class="hint" id="invite-email-hint">
            {t("members.emailHint")}
          </span>
        </label>
        <input id="invite-email" name="email" type="email" maxLength={254} autoComplete="off" aria-describedby="invite-email-hint" />
        <label for="invite-days">{t("members.validFor")}</label>
        <select id="invite-days" name="days">
          {validFor.map((n) => (
            <option key={n} value={n}>
              {n === 1 ? t("members.oneDay") : t("members.days", { n })}
            </option>
          ))}
        </select>
        <button type="submit">{t("members.createLink")}</button>
      </form>
      {created?.link && (
        <div class="card inline invitation-link">
          <label for="invite-link">
            {t("members.linkReady", {
              who: created.email ?? t("members.anyone"),
              role: roleName(created.role ?? ""),
              date: formatDate(created.expiresAt),
            })}
          </label>
          <input id="invite-link" ref={link} readOnly value={created.link} />
          <button type="button" class="secondary" onClick={copy}>
            {copied ? t("members.copied") : t("members.copy")}
          </button>
        </div>
      )}
      <h3 id="invitations-title" tabIndex={-1}>
        {t("members.invitations")}
      </h3>
      {items && items.length === 0 && <p class="empty">{t("members.noInvitations")}</p>}
      {newest.length > 0 && (
        <ul class="invitations" aria-labelledby="invitations-title">
          {newest.map((inv) => (
            <li key={inv.id}>
              {inv.email ?? t("members.noEmail")} <span class="tag">{roleName(inv.role ?? "")}</span>
              <span class="meta block">
                {inv.usedAt
                  ? t("members.used", { date: formatDate(inv.usedAt) })
                  : inv.expiresAt < now
                    ? t("members.expired", { date: formatDate(inv.expiresAt) })
                    : t("members.waiting", { date: formatDate(inv.expiresAt) })}
              </span>
              {!inv.usedAt && inv.expiresAt >= now && (
                <button
                  type="button"
                  class="secondary small"
                  aria-label={t("members.revokeNamed", { who: inv.email ?? t("members.noEmail"), role: roleName(inv.role ?? "") })}
                  onClick={() => revoke(inv)}
                >
                  {t("members.revoke")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
