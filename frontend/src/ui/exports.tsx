import { FileDown, FileText, Printer } from "lucide";
import { Icon } from "./icon";
import { useState } from "preact/hooks";
import { t } from "../i18n";

/** download fetches an export and hands it to the browser as a file,
 * telling onProgress how far it got: null while the server prepares it
 * (a long PDF takes a while), then the share received, 0 to 1. */
export async function download(url: string, name: string, onProgress: (done: number | null) => void): Promise<void> {
  onProgress(null);
  const res = await fetch(url, { credentials: "same-origin" });
  if (!res.ok) {
    let message = "";
    try {
      message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? "";
    } catch {
      // not JSON: the generic message below
    }
    throw new Error(message || t("error.generic"));
  }
  const total = Number(res.headers.get("Content-Length")) || 0;
  const parts: BlobPart[] = [];
  let received = 0;
  const reader = res.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      received += value.length;
      if (total) onProgress(Math.min(1, received / total));
    }
  } else {
    parts.push(await res.blob());
  }
  onProgress(1);
  const blob = new Blob(parts, { type: res.headers.get("Content-Type") ?? "application/octet-stream" });
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** fileName makes a file name of a title: its letters and digits (any
 * script) joined by dashes, or fallback. */
export function fileName(title: string, fallback: string): string {
  const name = title
    .normalize("NFC")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join("-")
    .slice(0, 80);
  return name || fallback;
}

/** Exports offers an export in each format: the printable page opens in
 * a new tab; PDF and Markdown download here, with their progress shown.
 * base is the export's address without a format; name, the file's name
 * without its extension; label tells which export, for screen readers. */
export function Exports({ base, name, label, heading }: { base: string; name: string; label?: string; heading?: string }) {
  const [progress, setProgress] = useState<{ format: string; done: number | null } | null>(null);
  const [error, setError] = useState("");
  const sep = base.includes("?") ? "&" : "?";
  async function get(format: "pdf" | "markdown", ext: string) {
    setError("");
    try {
      await download(`${base}${sep}format=${format}`, `${name}.${ext}`, (done) => setProgress({ format, done }));
    } catch (e) {
      setError(e instanceof Error ? e.message : t("error.generic"));
    } finally {
      setProgress(null);
    }
  }
  const what = (format: string) => (label ? `${t(format as "export.pdf")} (${label})` : undefined);
  return (
    <div class="exports">
      <span class="meta">{heading ?? t("export.label")}</span>{" "}
      <a href={`${base}${sep}format=html`} target="_blank" rel="noopener" aria-label={what("export.html")}>
        <Icon node={Printer} size={16} /> {t("export.html")}
      </a>
      <button type="button" class="link" disabled={!!progress} onClick={() => get("pdf", "pdf")} aria-label={what("export.pdf")}>
        <Icon node={FileDown} size={16} /> {t("export.pdf")}
      </button>
      <button type="button" class="link" disabled={!!progress} onClick={() => get("markdown", "md")} aria-label={what("export.markdown")}>
        <Icon node={FileText} size={16} /> {t("export.markdown")}
      </button>
      {progress && (
        <span role="status" class="export-progress">
          <progress max={1} value={progress.done ?? undefined} aria-label={t("export.progress")} />{" "}
          {progress.done === null ? t("export.preparing") : t("export.downloading", { percent: Math.round(progress.done * 100) })}
        </span>
      )}
      {error && (
        <span role="alert" class="error-inline">
          {error}
        </span>
      )}
    </div>
  );
}
