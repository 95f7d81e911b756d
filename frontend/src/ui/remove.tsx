import { useState } from "preact/hooks";
import { Trash2 } from "lucide";
import type { DocumentDetail } from "../api";
import { messageOf, type App } from "../app";
import { t } from "../i18n";
import { announce, ErrorBox } from "./forms";
import { Icon } from "./icon";

/** DeleteDraft deletes a private draft, after asking: only its author is
 * offered it (the server's policy says who), and nothing of anyone else's
 * goes with it. */
export function DeleteDraft({ app, doc }: { app: App; doc: DocumentDetail }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState("");
  async function remove() {
    setError("");
    try {
      await app.api.deleteDocument(doc.id);
      announce(t("doc.deleted", { title: doc.title }));
      app.navigate(doc.labId ? `/labs/${doc.labId}` : "/syntheses");
    } catch (e) {
      setError(messageOf(e));
    }
  }
  if (!asking) {
    return (
      <p>
        <button type="button" class="secondary small danger" onClick={() => setAsking(true)}>
          <Icon node={Trash2} /> {t("doc.delete")}
        </button>
      </p>
    );
  }
  return (
    <div class="card confirm" role="alertdialog" aria-labelledby="delete-question">
      <ErrorBox message={error} />
      <p id="delete-question">{t("doc.deleteConfirm", { title: doc.title })}</p>
      <div class="actions">
        <button type="button" class="danger" onClick={remove}>
          {t("doc.deleteYes")}
        </button>
        <button type="button" class="secondary" onClick={() => setAsking(false)} autoFocus>
          {t("doc.cancel")}
        </button>
      </div>
    </div>
  );
}
