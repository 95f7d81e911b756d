// Who will read a comment or feedback: the writer sees it, in plain words,
// before sending, and may choose wider when the document is shared wider.
// A lab's discussion stays with the lab unless its writer chooses otherwise.

import type { Visibility } from "../api";
import { t } from "../i18n";

const order: Visibility[] = ["private", "restricted", "lab", "partners", "network", "public"];

/** audiences lists what a writer may choose on a document, narrowest
 * first: from the lab (in the partner network, the partners) up to the
 * document's own level; a narrower document has only its own. */
export function audiences(docVisibility: Visibility, inNetwork: boolean): Visibility[] {
  const from = order.indexOf(inNetwork ? "partners" : "lab");
  const to = order.indexOf(docVisibility);
  return to < from ? [docVisibility] : order.slice(from, to + 1);
}

/** readers says who reads an item at a level, in plain words. */
export function readers(level: Visibility): string {
  return t(`audience.${level}`);
}

/** AudiencePicker shows who will read the item and, when there is a
 * choice, lets the writer widen it. "" means the default (the first). */
export function AudiencePicker({ id, levels, value, onChange }: {
  id: string;
  levels: Visibility[];
  value: Visibility | "";
  onChange: (v: Visibility | "") => void;
}) {
  const current = value || levels[0];
  if (levels.length < 2) {
    return (
      <p class="hint audience" id={id}>
        {t("audience.readBy", { who: readers(current) })}
      </p>
    );
  }
  return (
    <div class="audience">
      <label for={id}>{t("audience.label")}</label>
      <select id={id} value={current} onChange={(e) => onChange(e.currentTarget.value === levels[0] ? "" : (e.currentTarget.value as Visibility))}>
        {levels.map((l) => (
          <option key={l} value={l}>
            {readers(l)}
          </option>
        ))}
      </select>
    </div>
  );
}
