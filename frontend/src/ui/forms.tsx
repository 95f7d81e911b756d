// Form pieces every screen uses: a labelled field with an optional hint, and
// an error region screen readers read at once.

import type { InputHTMLAttributes } from "preact";

export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  input?: InputHTMLAttributes<HTMLInputElement>;
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  return (
    <div>
      <label for={props.id}>
        {props.label}
        {props.hint && (
          <span class="hint" id={hintId}>
            {props.hint}
          </span>
        )}
      </label>
      <input id={props.id} name={props.id} aria-describedby={hintId} {...props.input} />
    </div>
  );
}

export function ErrorBox(props: { message: string }) {
  return (
    <div role="alert" class={props.message ? "error" : ""}>
      {props.message}
    </div>
  );
}

/** announce tells screen-reader users about a change, politely. */
export function announce(message: string): void {
  const status = document.getElementById("status");
  if (status) status.textContent = message;
}
