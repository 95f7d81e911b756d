import { useEffect, useState } from "preact/hooks";
import type { AdminAccount, Lab, PartnerOrg } from "../api";
import { messageOf, type App } from "../app";
import { formatDate, t, type MessageKey } from "../i18n";
import { announce, ErrorBox } from "../ui/forms";
import { Link } from "../ui/link";

type Tab = "accounts" | "labs" | "partners";
const tabs: Tab[] = ["accounts", "labs", "partners"];

/** Admin is the administrators' screen: accounts, labs and partner
 * organisations. Administrators run the platform; they do not read what
 * labs write, and nothing here shows it. */
export function Admin({ app }: { app: App }) {
  const [tab, setTab] = useState<Tab>("accounts");
  useEffect(() => {
    document.title = `${t("admin.title")} · LinkLab`;
  }, []);
  if (!app.session?.account.admin) return <ErrorBox message={t("admin.only")} />;
  // Arrow keys move between tabs, as the tabs pattern expects.
  function key(ev: KeyboardEvent) {
    const i = tabs.indexOf(tab);
    let next = i;
    if (ev.key === "ArrowRight") next = (i + 1) % tabs.length;
    else if (ev.key === "ArrowLeft") next = (i + tabs.length - 1) % tabs.length;
    else if (ev.key === "Home") next = 0;
    else if (ev.key === "End") next = tabs.length - 1;
    else return;
    ev.preventDefault();
    setTab(tabs[next]);
    document.getElementById(`tab-${tabs[next]}`)?.focus();
  }
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <div role="tablist" aria-label={t("admin.title")} class="tabs" onKeyDown={key}>
        {tabs.map((x) => (
          <button
            key={x}
            id={`tab-${x}`}
            type="button"
            role="tab"
            class="tab"
            aria-selected={tab === x}
            aria-controls={`panel-${x}`}
            tabIndex={tab === x ? 0 : -1}
            onClick={() => setTab(x)}
          >
            {t(`admin.${x}` as MessageKey)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="tabpanel">
        {tab === "accounts" && <Accounts app={app} />}
        {tab === "labs" && <Labs app={app} />}
        {tab === "partners" && <Partners app={app} />}
      </div>
    </>
  );
}

/** useList loads one of the administration lists. */
function useList<T>(load: () => Promise<{ items: T[] }>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    load().then((p) => setItems(p.items), (e) => setError(messageOf(e)));
  }, []);
  return { items, setItems, error, setError };
}

/** useCreate handles a form that creates an item from its fields: the
 * server's refusal is shown on the form; a created item is added to the
 * list, announced, and the form emptied. */
function useCreate<T>(make: (d: FormData) => Promise<T>, added: (x: T) => void, name: (x: T) => string) {
  const [formError, setFormError] = useState("");
  async function submit(ev: Event) {
    ev.preventDefault();
    setFormError("");
    const form = ev.currentTarget as HTMLFormElement;
    try {
      const x = await make(new FormData(form));
      added(x);
      form.reset();
      announce(t("admin.created", { name: name(x) }));
    } catch (e) {
      setFormError(messageOf(e));
    }
  }
  return { formError, submit };
}

function Accounts({ app }: { app: App }) {
  const [items, setItems] = useState<AdminAccount[] | null>(null);
  const [next, setNext] = useState("");
  const [error, setError] = useState("");
  const [q, setQ] = useState("");
  const [editing, setEditing] = useState("");
  const [orgs, setOrgs] = useState<PartnerOrg[]>([]);
  useEffect(() => {
    app.api.partnerOrgs().then((p) => setOrgs(p.items), () => setOrgs([]));
  }, []);
  // The list follows the search as it is typed, a moment after the last key.
  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      app.api.accounts(q.trim()).then(
        (p) => {
          if (stale) return;
          setItems(p.items);
          setNext(p.next);
        },
        (e) => !stale && setError(messageOf(e)),
      );
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [q]);
  async function more() {
    try {
      const p = await app.api.accounts(q.trim(), next);
      setItems((old) => [...(old ?? []), ...p.items]);
      setNext(p.next);
    } catch (e) {
      setError(messageOf(e));
    }
  }
  async function update(a: AdminAccount, patch: { disabled?: boolean; partnerOrgId?: string }) {
    setError("");
    try {
      const u = await app.api.updateAccount(a.id, patch);
      setItems((old) => (old ?? []).map((x) => (x.id === u.id ? u : x)));
      announce(t("admin.saved", { name: u.displayName }));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  const { formError, submit: create } = useCreate(
    (d) =>
      app.api.createAccount({
        email: String(d.get("email")),
        displayName: String(d.get("displayName")),
        password: String(d.get("password")),
        admin: d.get("admin") === "on",
      }),
    (a) => setItems((old) => [...(old ?? []), a]),
    (a) => a.displayName,
  );
  const me = app.session?.account.id;
  const orgName = (id?: string) => {
    const o = orgs.find((x) => x.id === id);
    return o ? `${o.name} (${o.country})` : t("admin.noPartnerOrg");
  };
  return (
    <>
      <ErrorBox message={error} />
      <form class="filters" role="search" aria-label={t("admin.accounts")} onSubmit={(e) => e.preventDefault()}>
        <div>
          <label for="account-search">{t("admin.findAccount")}</label>
          <input id="account-search" type="search" maxLength={200} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </div>
      </form>
      {items === null && !error && <p>{t("app.loading")}</p>}
      {items && items.length === 0 && <p class="empty">{t(q.trim() ? "admin.noAccountFound" : "admin.noAccounts")}</p>}
      {items && items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t("admin.accounts")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.name")}</th>
                <th scope="col">{t("signIn.email")}</th>
                <th scope="col">{t("admin.partnerOrg")}</th>
                <th scope="col">{t("admin.state")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    {a.displayName}
                    {a.admin && <span class="tag">{t("admin.isAdmin")}</span>}
                    <span class="meta block">{t("admin.since", { date: formatDate(a.createdAt) })}</span>
                  </th>
                  <td>{a.email}</td>
                  <td>
                    {editing === a.id ? (
                      <>
                        <label class="visually-hidden" for={`org-${a.id}`}>
                          {t("admin.partnerOrgOf", { name: a.displayName })}
                        </label>
                        <select id={`org-${a.id}`} value={a.partnerOrgId ?? ""} onChange={(e) => update(a, { partnerOrgId: e.currentTarget.value })}>
                          <option value="">{t("admin.noPartnerOrg")}</option>
                          {orgs.map((o) => (
                            <option key={o.id} value={o.id}>
                              {o.name} ({o.country})
                            </option>
                          ))}
                        </select>
                        <button type="button" class="secondary small" onClick={() => setEditing("")}>
                          {t("admin.done")}
                        </button>
                      </>
                    ) : (
                      <>
                        {orgName(a.partnerOrgId)}{" "}
                        <button type="button" class="link" aria-label={t("admin.partnerOrgOf", { name: a.displayName })} onClick={() => setEditing(a.id)}>
                          {t("admin.change")}
                        </button>
                      </>
                    )}
                  </td>
                  <td>
                    {a.disabled ? t("admin.disabled") : t("admin.active")}{" "}
                    {a.id !== me && (
                      <button
                        type="button"
                        class="secondary small"
                        aria-label={t(a.disabled ? "admin.enableNamed" : "admin.disableNamed", { name: a.displayName })}
                        onClick={() => update(a, { disabled: !a.disabled })}
                      >
                        {a.disabled ? t("admin.enable") : t("admin.disable")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <p>
          <button type="button" class="secondary" onClick={more}>
            {t("search.more")}
          </button>
        </p>
      )}
      <form class="card inline" onSubmit={create} aria-labelledby="new-account">
        <h2 id="new-account">{t("admin.newAccount")}</h2>
        <ErrorBox message={formError} />
        <label for="acc-email">{t("signIn.email")}</label>
        <input id="acc-email" name="email" type="email" required maxLength={254} autoComplete="off" />
        <label for="acc-name">{t("admin.name")}</label>
        <input id="acc-name" name="displayName" required maxLength={80} />
        <label for="acc-password">
          {t("admin.password")}
          <span class="hint">{t("form.newPasswordHint")}</span>
        </label>
        <input id="acc-password" name="password" type="password" required minLength={10} maxLength={256} autoComplete="new-password" />
        <label class="choice">
          <input type="checkbox" name="admin" />
          {t("admin.makeAdmin")}
        </label>
        <button type="submit">{t("form.create")}</button>
      </form>
    </>
  );
}

function Labs({ app }: { app: App }) {
  const { items, setItems, error } = useList(() => app.api.labs());
  const { formError, submit: create } = useCreate(
    (d) =>
      app.api.createLab({
        slug: String(d.get("slug")),
        country: String(d.get("country")).toUpperCase(),
        title: String(d.get("title")),
        targetGroup: String(d.get("targetGroup")) as Lab["targetGroup"],
        languages: String(d.get("languages"))
          .split(/[\s,]+/)
          .filter(Boolean),
      }),
    (l) => setItems((old) => [...(old ?? []), l]),
    (l) => l.title,
  );
  return (
    <>
      <ErrorBox message={error} />
      {items && (
        <ul class="docs">
          {items.map((l) => (
            <li key={l.id}>
              <Link app={app} href={`/labs/${l.id}`}>
                {l.title}
              </Link>{" "}
              <span class="tag">{l.country}</span> <span class="tag">{t(`target.${l.targetGroup}` as MessageKey)}</span>
            </li>
          ))}
        </ul>
      )}
      <form class="card inline" onSubmit={create} aria-labelledby="new-lab">
        <h2 id="new-lab">{t("admin.newLab")}</h2>
        <ErrorBox message={formError} />
        <label for="lab-title">{t("admin.labTitle")}</label>
        <input id="lab-title" name="title" required maxLength={200} />
        <label for="lab-slug">
          {t("admin.slug")}
          <span class="hint">{t("admin.slugHint")}</span>
        </label>
        <input id="lab-slug" name="slug" required maxLength={64} pattern="[a-z0-9][a-z0-9\-]*" />
        <label for="lab-country">
          {t("admin.country")}
          <span class="hint">{t("admin.countryHint")}</span>
        </label>
        <input id="lab-country" name="country" required maxLength={2} minLength={2} />
        <label for="lab-target">{t("admin.targetGroup")}</label>
        <select id="lab-target" name="targetGroup">
          {(["families", "youths", "elderly"] as const).map((g) => (
            <option key={g} value={g}>
              {t(`target.${g}` as MessageKey)}
            </option>
          ))}
        </select>
        <label for="lab-languages">
          {t("admin.languages")}
          <span class="hint">{t("admin.languagesHint")}</span>
        </label>
        <input id="lab-languages" name="languages" maxLength={60} />
        <button type="submit">{t("lab.create")}</button>
      </form>
    </>
  );
}

function Partners({ app }: { app: App }) {
  const { items, setItems, error } = useList(() => app.api.partnerOrgs());
  const { formError, submit: create } = useCreate(
    (d) => app.api.createPartnerOrg({ name: String(d.get("name")), country: String(d.get("country")).toUpperCase() }),
    (o) => setItems((old) => [...(old ?? []), o]),
    (o) => o.name,
  );
  return (
    <>
      <ErrorBox message={error} />
      {items && items.length === 0 && <p class="empty">{t("admin.noPartners")}</p>}
      {items && (
        <ul class="docs">
          {items.map((o) => (
            <li key={o.id}>
              {o.name} <span class="tag">{o.country}</span>
            </li>
          ))}
        </ul>
      )}
      <form class="card inline" onSubmit={create} aria-labelledby="new-org">
        <h2 id="new-org">{t("admin.newPartner")}</h2>
        <ErrorBox message={formError} />
        <label for="org-name">{t("admin.orgName")}</label>
        <input id="org-name" name="name" required maxLength={200} />
        <label for="org-country">
          {t("admin.country")}
          <span class="hint">{t("admin.countryHint")}</span>
        </label>
        <input id="org-country" name="country" required maxLength={2} minLength={2} />
        <button type="submit">{t("lab.create")}</button>
      </form>
    </>
  );
}
